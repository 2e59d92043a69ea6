/// The OpenAPI 3.1 description of every route. A test fails when a route exists that this
/// document does not describe, or the reverse; extend both together.
public enum OpenAPIDocument {
    public static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Inyeon API",
            "version": "0.1.0",
            "description": "Values-based matching for Korean adults in their 40s-60s. Every JSON answer uses the envelope {success, data, message}; errors {success: false, error, code}. Messages are Korean. Send access tokens as `Authorization: Bearer`; an address that keeps presenting invalid tokens is answered 429 with Retry-After for a while. A JSON request body must be declared `Content-Type: application/json` (otherwise 415 UNSUPPORTED_MEDIA_TYPE). A path must be in its one canonical form (no repeated slashes, no dot segments, no encoded slashes): otherwise 400 INVALID_PATH, or for GET and HEAD a 308 redirect to the canonical path."
          },
          "servers": [{ "url": "http://localhost:3000" }],
          "paths": {
            "/ping": {
              "get": {
                "operationId": "ping", "summary": "Liveness check", "tags": ["health"],
                "responses": { "200": { "$ref": "#/components/responses/Pong" } }
              }
            },
            "/api/health": {
              "get": {
                "operationId": "health", "summary": "Readiness: healthy while the database answers", "tags": ["health"],
                "responses": {
                  "200": { "description": "Healthy", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/HealthEnvelope" } } } },
                  "503": { "description": "Degraded: the database is unreachable", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DegradedHealth" } } } }
                }
              }
            },
            "/api/health/ready": {
              "get": {
                "operationId": "readiness", "summary": "Readiness for a load balancer: 200 while this instance should get traffic (not stopping, its database takes writes, the schema at least this build's); 503 NOT_READY with the reasons otherwise. Liveness is /ping", "tags": ["health"],
                "responses": {
                  "200": { "description": "Ready", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ReadinessEnvelope" } } } },
                  "503": { "description": "Not ready, and why", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NotReady" } } } }
                }
              }
            },
            "/api/health/enhanced": {
              "get": {
                "operationId": "enhancedHealth", "summary": "Operational figures: database round trip, pool, memory, users, flags (admins; service tokens with ops:read)", "tags": ["health"], "security": [{ "bearer": [] }],
                "responses": {
                  "200": { "description": "Figures measured now", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/EnhancedHealthEnvelope" } } } },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/rls/status": {
              "get": {
                "operationId": "rlsStatus", "summary": "Row-level security per table, read from PostgreSQL's catalogs (admins; service tokens with ops:read)", "tags": ["security"], "security": [{ "bearer": [] }],
                "responses": {
                  "200": { "description": "Status", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RLSStatusEnvelope" } } } },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "503": { "$ref": "#/components/responses/DatabaseUnavailable" }
                }
              }
            },
            "/api/users": {
              "get": {
                "operationId": "listUsers", "summary": "Public cards the caller may see (anonymous: those who allow public listing), newest first. Page with `after` (the previous page's nextCursor: the same cost at any depth); `offset` still works but costs more the deeper it goes", "tags": ["legacy"],
                "parameters": [{ "$ref": "#/components/parameters/Limit" }, { "$ref": "#/components/parameters/Offset" },
                               { "name": "after", "in": "query", "required": false, "description": "nextCursor of the previous page (INVALID_PARAMETER when it is not one)", "schema": { "type": "string", "maxLength": 200 } }],
                "responses": {
                  "200": { "description": "Cards", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UsersEnvelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "503": { "$ref": "#/components/responses/DatabaseUnavailable" }
                }
              }
            },
            "/api/users/rls": {
              "get": {
                "operationId": "listUsersUnderRLS", "summary": "What row-level security lets this caller see", "tags": ["security"],
                "parameters": [{ "$ref": "#/components/parameters/Limit" }],
                "security": [{}, { "bearer": [] }],
                "responses": {
                  "200": { "description": "The caller's view", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RLSViewEnvelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "description": "Invalid bearer token", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "503": { "$ref": "#/components/responses/DatabaseUnavailable" }
                }
              }
            },
            "/api/matching/enhanced-test": {
              "get": {
                "operationId": "matchingEnhancedTest", "summary": "The matching test plus aiInsights (null while FEATURE_AI_INSIGHTS is off for the caller)", "tags": ["legacy", "insights"],
                "parameters": [
                  { "name": "userId", "in": "query", "schema": { "type": "string", "format": "uuid" } },
                  { "name": "targetUserId", "in": "query", "schema": { "type": "string", "format": "uuid" } },
                  { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 20, "default": 5 } },
                  { "name": "lang", "in": "query", "schema": { "enum": ["ko", "en"], "default": "ko" } }
                ],
                "responses": {
                  "200": { "description": "Computed compatibility and insights", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "404": { "$ref": "#/components/responses/UserNotFound" }
                }
              }
            },
            "/api/matching/test": {
              "get": {
                "operationId": "matchingTest", "summary": "Compatibility of two people and the first one's best potential matches", "tags": ["legacy"],
                "description": "Without parameters: the two demo members 김세렌 and 이매력.",
                "parameters": [
                  { "name": "userId", "in": "query", "schema": { "type": "string", "format": "uuid" } },
                  { "name": "targetUserId", "in": "query", "schema": { "type": "string", "format": "uuid" } },
                  { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 20, "default": 5 } }
                ],
                "responses": {
                  "200": { "description": "Computed compatibility", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MatchingTestEnvelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "404": { "$ref": "#/components/responses/UserNotFound" },
                  "503": { "$ref": "#/components/responses/DatabaseUnavailable" }
                }
              }
            },
            "/api/matching/intelligent-compatibility/{targetUserId}": {
              "get": {
                "operationId": "intelligentCompatibility", "summary": "Compatibility between the caller (or userId, or the first demo member) and a person", "tags": ["legacy"],
                "parameters": [
                  { "name": "targetUserId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
                  { "name": "userId", "in": "query", "schema": { "type": "string", "format": "uuid" } }
                ],
                "responses": {
                  "200": { "description": "Computed compatibility", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/IntelligentCompatibilityEnvelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "404": { "$ref": "#/components/responses/UserNotFound" },
                  "503": { "$ref": "#/components/responses/DatabaseUnavailable" }
                }
              }
            },
            "/api/auth/signup": {
              "post": {
                "operationId": "signup", "summary": "Ask to join: an e-mail confirms the address (the answer is the same whether or not it is registered)", "tags": ["accounts"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SignupRequest" } } } },
                "responses": {
                  "202": { "description": "Confirmation e-mail sent", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "415": { "$ref": "#/components/responses/UnsupportedMediaType" },
                  "429": { "$ref": "#/components/responses/TooManyRequests" }
                }
              }
            },
            "/api/auth/verify-email": {
              "post": {
                "operationId": "verifyEmail", "summary": "Confirm the address with the mail's six-digit code (with the address) or its link's token; creates the account and signs in. Five tries per code; an expired code or link brings a new code by mail", "tags": ["accounts"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "oneOf": [
                  { "type": "object", "required": ["email", "code"], "properties": { "email": { "type": "string" }, "code": { "type": "string", "description": "6 digits; spaces, hyphens and full-width digits are accepted" } } },
                  { "type": "object", "required": ["token"], "properties": { "token": { "type": "string" } } }
                ] } } } },
                "responses": {
                  "201": { "description": "Account created", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "description": "INVALID_CODE, CODE_TRIES_USED_UP (five wrong tries: ask for a new code), INVALID_VERIFICATION_TOKEN, INVALID_REQUEST", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "409": { "description": "ALREADY_CONFIRMED: this code or link was used; the account exists, log in", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "410": { "description": "CODE_EXPIRED: a new code was sent to the address", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/auth/verify-email/resend": {
              "post": {
                "operationId": "resendVerificationCode", "summary": "Send a new code and link for the sign-up waiting for this address (earlier ones stop working); the same answer whether or not one is waiting; limited like sign-ups", "tags": ["accounts"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["email"], "properties": { "email": { "type": "string" } } } } } },
                "responses": {
                  "202": { "description": "Accepted", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "429": { "description": "TOO_MANY_REQUESTS, with Retry-After", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/auth/password-reset": {
              "post": {
                "operationId": "requestPasswordReset", "summary": "Mail a six-digit code and a link to set a new password (valid 15 minutes, single use, five tries); the same answer, after the same work, whether or not the address is registered; limited per address and per e-mail address", "tags": ["accounts"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["email"], "properties": { "email": { "type": "string" } } } } } },
                "responses": {
                  "202": { "description": "Accepted", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "429": { "description": "TOO_MANY_REQUESTS, with Retry-After", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/auth/password-reset/confirm": {
              "post": {
                "operationId": "confirmPasswordReset", "summary": "Set a new password with the mailed code (and the address) or the link's token: every session ends, a 'password changed' mail is sent, it is audited, and the person is signed in", "tags": ["accounts"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "oneOf": [
                  { "type": "object", "required": ["email", "code", "newPassword"], "properties": { "email": { "type": "string" }, "code": { "type": "string" }, "newPassword": { "type": "string" } } },
                  { "type": "object", "required": ["token", "newPassword"], "properties": { "token": { "type": "string" }, "newPassword": { "type": "string" } } }
                ] } } } },
                "responses": {
                  "200": { "description": "Signed in: data.userId, data.tokens", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "description": "INVALID_RESET_CODE (wrong, used, expired or past five tries; the same for every case), WEAK_PASSWORD, INVALID_REQUEST", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "403": { "description": "ACCOUNT_SUSPENDED: the password was changed but the account may not sign in", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/auth/login": {
              "post": {
                "operationId": "login", "summary": "Sign in; the same answer and timing for an unknown e-mail and a wrong password", "tags": ["accounts"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["email", "password"], "properties": { "email": { "type": "string" }, "password": { "type": "string" } } } } } },
                "responses": {
                  "200": { "$ref": "#/components/responses/Tokens" },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "ACCOUNT_SUSPENDED", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "429": { "$ref": "#/components/responses/TooManyAttempts" }
                }
              }
            },
            "/api/auth/refresh": {
              "post": {
                "operationId": "refresh", "summary": "Rotate a refresh token (single use; reuse after a short grace window ends the session)", "tags": ["accounts"],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["refreshToken"], "properties": { "refreshToken": { "type": "string" } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Tokens" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/auth/logout": {
              "post": {
                "operationId": "logout", "summary": "End this session (its access and refresh tokens stop working)", "tags": ["accounts"], "security": [{ "bearer": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/auth/logout-all": {
              "post": {
                "operationId": "logoutAll", "summary": "End every session of the signed-in person", "tags": ["accounts"], "security": [{ "bearer": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/auth/sessions": {
              "get": {
                "operationId": "listSessions", "summary": "The signed-in person's active sessions (devices)", "tags": ["accounts"], "security": [{ "bearer": [] }],
                "responses": { "200": { "description": "Sessions", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/auth/sessions/{sessionId}": {
              "delete": {
                "operationId": "endSession", "summary": "End one of one's sessions", "tags": ["accounts"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "sessionId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }],
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "description": "SESSION_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/auth/password": {
              "post": {
                "operationId": "changePassword", "summary": "Change the password; other sessions end. Wrong current passwords count with failed logins", "tags": ["accounts"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["currentPassword", "newPassword"], "properties": { "currentPassword": { "type": "string" }, "newPassword": { "type": "string", "minLength": 8 } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "415": { "$ref": "#/components/responses/UnsupportedMediaType" }, "429": { "$ref": "#/components/responses/TooManyAttempts" } }
              }
            },
            "/api/auth/websocket-ticket": {
              "post": {
                "operationId": "webSocketTicket", "summary": "A single-use, 60-second ticket for opening the chat WebSocket", "tags": ["accounts"], "security": [{ "bearer": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/.well-known/jwks.json": {
              "get": {
                "operationId": "jwks", "summary": "Public keys (Ed25519) that verify access tokens", "tags": ["accounts"],
                "responses": { "200": { "description": "JWK Set", "content": { "application/json": { "schema": { "type": "object", "properties": { "keys": { "type": "array", "items": { "type": "object" } } } } } } } }
              }
            },
            "/api/me/export": {
              "get": {
                "operationId": "exportMyData", "summary": "All of one's personal data as one JSON document (PIPA)", "tags": ["privacy"], "security": [{ "bearer": [] }],
                "responses": { "200": { "description": "Everything stored about the caller", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/me/audit": {
              "get": {
                "operationId": "myAuditEntries", "summary": "The audit entries about oneself", "tags": ["privacy"], "security": [{ "bearer": [] }],
                "responses": { "200": { "description": "Entries", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/me": {
              "delete": {
                "operationId": "deleteMyAccount", "summary": "Delete the account and all personal data for good (PIPA). Wrong passwords count with failed logins", "tags": ["privacy"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["password"], "properties": { "password": { "type": "string" } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "415": { "$ref": "#/components/responses/UnsupportedMediaType" }, "429": { "$ref": "#/components/responses/TooManyAttempts" } }
              }
            },
            "/api/me/consents": {
              "get": {
                "operationId": "myConsents", "summary": "The current state of one's consents, with version and time", "tags": ["privacy"], "security": [{ "bearer": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              },
              "put": {
                "operationId": "changeMyConsents", "summary": "Give or withdraw the optional marketing consent (terms and privacy end only with the account)", "tags": ["privacy"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "marketing": { "type": "boolean" }, "terms": { "type": "boolean" }, "privacy": { "type": "boolean" } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/me/profile": {
              "get": {
                "operationId": "myProfile", "summary": "One's own profile, preferences and privacy toggles", "tags": ["profiles"], "security": [{ "bearer": [] }],
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "description": "PROFILE_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              },
              "put": {
                "operationId": "saveMyProfile", "summary": "Create or replace one's profile; problems come back per field (INVALID_PROFILE). Optional: facts {religion, smoking, drinking, shared}, where shared names the facts shown on the card and used by the matching (religion, smoking, drinking, living); lifestyle.livingArrangement may be null", "tags": ["profiles"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["displayName", "birthYear", "gender", "seeking", "maritalStatus", "children", "occupation", "lifestyle", "location", "interests", "bio", "communicationStyle", "preferences", "privacy"] } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/matching/recommendations": {
              "get": {
                "operationId": "recommendations", "summary": "People who pass both sides' hard filters, ranked by the engine's chance that both will like each other, each explained in a sentence", "tags": ["matching"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 50, "default": 10 } }],
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "409": { "description": "PROFILE_REQUIRED", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "503": {
                    "description": "RECOMMENDATIONS_WARMING_UP: the service has just started and its first engine is not ready yet (try again after Retry-After seconds); or DATABASE_UNAVAILABLE",
                    "headers": { "Retry-After": { "schema": { "type": "integer" } } },
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
                  }
                }
              }
            },
            "/api/matching/decisions": {
              "post": {
                "operationId": "decide", "summary": "Like, pass or super-like someone; a like returned within 7 days makes a match (exactly once)", "tags": ["matching"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["userId", "decision"], "properties": { "userId": { "type": "string", "format": "uuid" }, "decision": { "enum": ["like", "pass", "super_like"] } } } } } },
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "description": "USER_NOT_FOUND (absent, hidden or blocked)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/matches": {
              "get": {
                "operationId": "matches", "summary": "One's current matches, newest first, with the partner's card and compatibility", "tags": ["matching"], "security": [{ "bearer": [] }],
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "409": { "description": "PROFILE_REQUIRED", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/matches/{matchId}": {
              "delete": {
                "operationId": "unmatch", "summary": "End a match (for both people)", "tags": ["matching"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "matchId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }],
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "description": "MATCH_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/blocks": {
              "post": {
                "operationId": "block", "summary": "Block someone: any match ends and neither sees the other anywhere, at once", "tags": ["matching"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["userId"], "properties": { "userId": { "type": "string", "format": "uuid" }, "reason": { "type": "string", "maxLength": 500 } } } } } },
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "description": "USER_NOT_FOUND: no such account", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/me/photos": {
              "post": {
                "operationId": "uploadPhoto", "summary": "Add a photo (JPEG, PNG or WebP by content, 8 bits per sample, at most 10 MB, 24 megapixels for JPEG and 12 for PNG and WebP, at least 200 px a side, at most 4:1; a truncated file is refused); re-encoded without metadata into three sizes; six at most; 20 attempts per person in 10 minutes", "tags": ["photos"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                "responses": {
                  "201": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "409": { "description": "PHOTO_LIMIT", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "413": { "description": "PHOTO_TOO_LARGE", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "415": { "description": "UNSUPPORTED_IMAGE (not JPEG, PNG or WebP) or IMAGE_DEPTH_UNSUPPORTED (not 8 bits per sample)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "429": { "description": "TOO_MANY_UPLOADS, with Retry-After", "headers": { "Retry-After": { "schema": { "type": "integer" } } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "503": { "description": "PHOTO_BUSY: every photo place is taken; try again after Retry-After seconds", "headers": { "Retry-After": { "schema": { "type": "integer" } } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              },
              "get": {
                "operationId": "myPhotos", "summary": "One's photos in order, with their URLs", "tags": ["photos"], "security": [{ "bearer": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/me/photos/order": {
              "put": {
                "operationId": "reorderPhotos", "summary": "Put one's photos in a new order (every photo once; the first is the main one)", "tags": ["photos"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["photoIds"], "properties": { "photoIds": { "type": "array", "items": { "type": "string", "format": "uuid" } } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/me/photos/{photoId}": {
              "delete": {
                "operationId": "removePhoto", "summary": "Remove one of one's photos (its files too)", "tags": ["photos"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "photoId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }],
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "description": "PHOTO_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/conversations": {
              "get": {
                "operationId": "conversations", "summary": "One's open conversations, most recent first, with unread counts and the other person's read marker", "tags": ["chat"], "security": [{ "bearer": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/conversations/{conversationId}/messages": {
              "get": {
                "operationId": "conversationHistory", "summary": "A conversation's messages, newest first; pass nextCursor as before for older ones", "tags": ["chat"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "conversationId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }, { "name": "before", "in": "query", "schema": { "type": "integer", "minimum": 1 } }, { "$ref": "#/components/parameters/Limit" }, { "name": "lang", "in": "query", "schema": { "enum": ["ko", "en"] } }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "404": { "description": "CONVERSATION_NOT_FOUND (not one of the two people, or the match ended)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              },
              "post": {
                "operationId": "sendMessage", "summary": "Send a message without the socket (stored before it is acknowledged; a clientId seen before returns the stored message with duplicate true)", "tags": ["chat"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "conversationId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["clientId", "text"], "properties": { "clientId": { "type": "string", "minLength": 1, "maxLength": 64 }, "text": { "type": "string", "minLength": 1, "maxLength": 2000 } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "201": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "404": { "description": "CONVERSATION_NOT_FOUND (not one of the two people, or the match ended)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "429": { "description": "RATE_LIMITED (30 messages a minute)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/conversations/{conversationId}/messages/{sequence}": {
              "patch": {
                "operationId": "editMessage", "summary": "Edit one's own message within 30 minutes of sending it", "tags": ["chat"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "conversationId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }, { "name": "sequence", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["text"], "properties": { "text": { "type": "string", "minLength": 1, "maxLength": 2000 } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "description": "TOO_LATE", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "404": { "description": "MESSAGE_NOT_FOUND or CONVERSATION_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              },
              "delete": {
                "operationId": "deleteMessage", "summary": "Delete one's own message within 24 hours of sending it", "tags": ["chat"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "conversationId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }, { "name": "sequence", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "description": "TOO_LATE", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "404": { "description": "MESSAGE_NOT_FOUND or CONVERSATION_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/conversations/{conversationId}/read": {
              "post": {
                "operationId": "markConversationRead", "summary": "Mark the conversation read up to a sequence (the other person sees the receipt)", "tags": ["chat"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "conversationId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["sequence"], "properties": { "sequence": { "type": "integer", "minimum": 0 } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "404": { "description": "CONVERSATION_NOT_FOUND (not one of the two people, or the match ended)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "415": { "$ref": "#/components/responses/UnsupportedMediaType" }, "429": { "$ref": "#/components/responses/TooManyRequests" } }
              }
            },
            "/api/conversations/{conversationId}/report": {
              "post": {
                "operationId": "reportConversation", "summary": "Report the other person of a match to the moderators (who may then read the conversation)", "tags": ["chat"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "conversationId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "reason": { "type": "string", "maxLength": 1000 } } } } } },
                "responses": { "201": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "404": { "description": "CONVERSATION_NOT_FOUND (not one of the two people, or the match ended)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "415": { "$ref": "#/components/responses/UnsupportedMediaType" }, "429": { "$ref": "#/components/responses/TooManyRequests" } }
              }
            },
            "/api/conversations/{conversationId}/socket": {
              "get": {
                "operationId": "conversationSocket", "summary": "The conversation's WebSocket (upgrade with a single-use ticket; after and afterRevision resume; it lives as long as the session the ticket was issued in: when that session ends, by logout, logout everywhere, a password change, suspension or deletion, it closes on every instance with 4401 \"session ended\"). Without an upgrade: why it would be refused, or 426", "tags": ["chat"],
                "parameters": [{ "name": "conversationId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }, { "name": "ticket", "in": "query", "required": true, "schema": { "type": "string" } }, { "name": "after", "in": "query", "schema": { "type": "integer", "minimum": 0 } }, { "name": "afterRevision", "in": "query", "schema": { "type": "integer", "minimum": 0 } }, { "name": "lang", "in": "query", "schema": { "enum": ["ko", "en"] } }],
                "responses": {
                  "101": { "description": "Switching to the WebSocket protocol" }, "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "description": "TICKET_REQUIRED or TICKET_INVALID", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "403": { "description": "REAL_TIME_CHAT_DISABLED", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "404": { "description": "CONVERSATION_NOT_FOUND (not one of the two people, or the match ended)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "426": { "description": "UPGRADE_REQUIRED: the ticket is valid and was not spent", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "429": { "description": "TOO_MANY_CONNECTIONS", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/moderation/cases": {
              "get": {
                "operationId": "moderationCases", "summary": "The moderation queue (moderators and admins): flagged messages and reports", "tags": ["moderation"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "status", "in": "query", "schema": { "enum": ["open", "dismissed", "actioned"] } }, { "$ref": "#/components/parameters/Limit" }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/moderation/cases/{caseId}": {
              "get": {
                "operationId": "moderationCase", "summary": "One case with its conversation's newest 200 messages (the reading is audited)", "tags": ["moderation"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "caseId", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "404": { "description": "CASE_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/moderation/cases/{caseId}/review": {
              "post": {
                "operationId": "reviewModerationCase", "summary": "Record a moderator's decision: dismissed or actioned", "tags": ["moderation"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "caseId", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["status"], "properties": { "status": { "enum": ["dismissed", "actioned"] } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "404": { "description": "CASE_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/admin/feedback": {
              "get": {
                "operationId": "feedback", "summary": "People's feedback (admins, or operator tokens with feedback:read): average rating per rollout phase and topic, and the newest 100 entries with the flags in force", "tags": ["admin"], "security": [{ "bearer": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/photos/{photoId}/{size}": {
              "get": {
                "operationId": "photo", "summary": "A photo as JPEG, to whoever may see its owner's card", "tags": ["photos"],
                "parameters": [
                  { "name": "photoId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
                  { "name": "size", "in": "path", "required": true, "schema": { "enum": ["thumbnail", "card", "full"] } }
                ],
                "responses": {
                  "200": { "description": "The JPEG", "content": { "image/jpeg": { "schema": { "type": "string", "format": "binary" } } } },
                  "404": { "description": "PHOTO_NOT_FOUND (absent or hidden)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/assessment/questions": {
              "get": {
                "operationId": "assessmentQuestions", "summary": "The 20 values-assessment questions, 4 options each (Korean; English with lang=en)", "tags": ["assessment"],
                "parameters": [{ "name": "lang", "in": "query", "schema": { "enum": ["ko", "en"], "default": "ko" } }],
                "responses": { "200": { "$ref": "#/components/responses/Done" } }
              }
            },
            "/api/assessment": {
              "post": {
                "operationId": "submitAssessment", "summary": "Answer every question once; the result (personality, values, reliability) replaces any earlier one", "tags": ["assessment"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["answers"], "properties": { "answers": { "type": "object", "additionalProperties": { "enum": ["a", "b", "c", "d"] } } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              },
              "get": {
                "operationId": "myAssessment", "summary": "One's stored assessment result", "tags": ["assessment"], "security": [{ "bearer": [] }],
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "description": "ASSESSMENT_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/metrics": {
              "get": {
                "operationId": "metrics", "summary": "Prometheus metrics: requests and latency per route and status, errors, cache, database pool and latency, memory, security events, flag evaluations (admins; service tokens with ops:read)", "tags": ["health"], "security": [{ "bearer": [] }],
                "responses": {
                  "200": { "description": "Prometheus text exposition format", "content": { "text/plain": { "schema": { "type": "string" } } } },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/cache/test": {
              "get": {
                "operationId": "cacheTest", "summary": "A real round trip through the cache, and its statistics", "tags": ["health"],
                "responses": { "200": { "description": "Round trip and statistics", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } } }
              }
            },
            "/api/flags": {
              "get": {
                "operationId": "myFlags", "summary": "The rollout flags evaluated for the caller, each with the reason", "tags": ["flags"],
                "responses": { "200": { "description": "Flags", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/admin/flags": {
              "get": {
                "operationId": "flagRules", "summary": "Every flag's rules in force (admins; service tokens with flags:write)", "tags": ["flags"], "security": [{ "bearer": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/admin/flags/{flag}": {
              "put": {
                "operationId": "setFlag", "summary": "Override a flag at runtime: a value, a sticky percentage, per-role and per-person rules; every instance follows within a second", "tags": ["flags"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "flag", "in": "path", "required": true, "schema": { "type": "string", "enum": ["FEATURE_ENHANCED_AUTH", "FEATURE_AI_INSIGHTS", "FEATURE_REAL_TIME_CHAT", "enhancedAuth", "aiInsights", "realTimeChat"] } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["setting"], "properties": { "setting": { "type": "string", "examples": ["true", "false", "25%"] }, "roles": { "type": "object", "additionalProperties": { "type": "boolean" } }, "users": { "type": "object", "additionalProperties": { "type": "boolean" } } } } } } },
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "404": { "description": "FLAG_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              },
              "delete": {
                "operationId": "resetFlag", "summary": "Remove the override: the flag returns to its environment default (rollback path)", "tags": ["flags"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "flag", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": {
                  "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "404": { "description": "FLAG_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/admin/rollouts": {
              "get": {
                "operationId": "rollouts", "summary": "Every rollout plan: its step, status and reason, and per guardrail the two cohorts' counts with the sequential test's verdict (admins; service tokens with flags:write)", "tags": ["flags"], "security": [{ "bearer": [] }],
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/admin/rollouts/{flag}": {
              "put": {
                "operationId": "startRollout", "summary": "Start (or start again) a rollout plan for a flag: steps of people (10% -> 50% -> 100%), a minimum time and number of people per step, guardrails comparing the people with the feature and without (a sequential test: mSPRT), the phase's ceilings. The service carries it out and rolls it back by itself when a guardrail fails", "tags": ["flags"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "flag", "in": "path", "required": true, "schema": { "type": "string", "enum": ["FEATURE_ENHANCED_AUTH", "FEATURE_AI_INSIGHTS", "FEATURE_REAL_TIME_CHAT", "enhancedAuth", "aiInsights", "realTimeChat"] } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": {
                  "steps": { "type": "array", "items": { "type": "integer", "minimum": 1, "maximum": 100 }, "default": [10, 50, 100] },
                  "minimumStepSeconds": { "type": "integer", "minimum": 0, "default": 3600 },
                  "minimumPeoplePerStep": { "type": "integer", "minimum": 0, "default": 100 },
                  "slowRequestMilliseconds": { "type": "number", "default": 500 },
                  "maximumP95Milliseconds": { "type": "number" }, "maximumMemoryMegabytes": { "type": "number" },
                  "guardrails": { "type": "array", "items": { "type": "object", "required": ["measure"], "properties": {
                    "measure": { "type": "string", "enum": ["serverErrors", "slowRequests", "socketDrops", "likesWithoutMatch", "matchesWithoutConversation", "messagesUnanswered", "meetingsNotHappened", "lowRatings"] },
                    "alpha": { "type": "number", "default": 0.05 }, "tolerance": { "type": "number", "default": 0 }, "minimumTrials": { "type": "integer", "default": 200 } } } }
                } } } } },
                "responses": {
                  "201": { "$ref": "#/components/responses/Done" }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "404": { "description": "FLAG_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/admin/rollouts/{flag}/pause": {
              "post": {
                "operationId": "pauseRollout", "summary": "Hold a running plan where it is (audited with the reason given)", "tags": ["flags"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "flag", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "reason": { "type": "string" } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "404": { "description": "ROLLOUT_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "409": { "description": "ROLLOUT_STATE", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/admin/rollouts/{flag}/resume": {
              "post": {
                "operationId": "resumeRollout", "summary": "Carry a paused plan on", "tags": ["flags"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "flag", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "reason": { "type": "string" } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "404": { "description": "ROLLOUT_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "409": { "description": "ROLLOUT_STATE", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/admin/rollouts/{flag}/rollback": {
              "post": {
                "operationId": "rollBackRollout", "summary": "Turn the feature off for everyone now and end the plan (audited with the reason given)", "tags": ["flags"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "flag", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "reason": { "type": "string" } } } } } },
                "responses": { "200": { "$ref": "#/components/responses/Done" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "404": { "description": "ROLLOUT_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }, "409": { "description": "ROLLOUT_STATE", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/admin/audit-log": {
              "get": {
                "operationId": "adminAuditLog", "summary": "Latest audit entries, filtered, and the hash chain's integrity (admins; service tokens with audit:read)", "tags": ["admin"], "security": [{ "bearer": [] }],
                "parameters": [
                  { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500, "default": 50 } },
                  { "name": "action", "in": "query", "description": "An exact action (auth.login_failed), or a prefix ending in . or * (security.)", "schema": { "type": "string", "maxLength": 100 } },
                  { "name": "actor", "in": "query", "description": "Who acted (a user id)", "schema": { "type": "string", "format": "uuid" } },
                  { "name": "target", "in": "query", "description": "What was acted on (its id: a user id, a flag name, a case number)", "schema": { "type": "string" } },
                  { "name": "since", "in": "query", "description": "From this day (UTC) or time (ISO 8601)", "schema": { "type": "string" } },
                  { "name": "until", "in": "query", "description": "Before this day (UTC) or time (ISO 8601)", "schema": { "type": "string" } },
                  { "name": "before", "in": "query", "description": "Entries before this chain position: the next page", "schema": { "type": "integer", "minimum": 1 } }
                ],
                "responses": {
                  "200": { "description": "Entries and chain status", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/likes/received": {
              "get": {
                "operationId": "likesReceived", "summary": "나에게 관심 보낸 분: likes and super-likes to me that I have not answered (super-likes first), each with the sender's card and when it lapses; hidden both ways by a block", "tags": ["matching"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 50 } }],
                "responses": {
                  "200": { "description": "data: [{user, kind, likedAt, expiresAt}]; answer with POST /api/matching/decisions", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }
                }
              }
            },
            "/api/likes/sent": {
              "get": {
                "operationId": "likesSent", "summary": "내가 관심 보낸 분: my likes still waiting for an answer, with when each lapses", "tags": ["matching"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 50 } }],
                "responses": {
                  "200": { "description": "data: [{user, kind, likedAt, expiresAt}]", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }
                }
              }
            },
            "/api/likes/{userId}": {
              "delete": {
                "operationId": "withdrawLike", "summary": "Withdraw my waiting like to this person (not one that made a match); audited", "tags": ["matching"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "userId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }],
                "responses": {
                  "200": { "description": "Withdrawn", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "description": "LIKE_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/notifications": {
              "get": {
                "operationId": "notifications", "summary": "My notices, newest first, and the unread count: like, super_like, match, message (one per conversation while unread, with count), like_expiring; never about someone across a block", "tags": ["notifications"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 50 } }],
                "responses": {
                  "200": { "description": "data: {unreadCount, notifications: [{id, kind, user, matchId, count, at, read}]}", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }
                }
              }
            },
            "/api/notifications/read": {
              "post": {
                "operationId": "markNotificationsRead", "summary": "Mark the given notices (or all, without ids) read", "tags": ["notifications"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "ids": { "type": "array", "items": { "type": "integer" }, "maxItems": 500 } } } } } },
                "responses": {
                  "200": { "description": "data: {marked}", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }
                }
              }
            },
            "/api/me/notification-settings": {
              "get": {
                "operationId": "notificationMailSettings", "summary": "Which notification mails I get: match (at once) and message (an unread-message digest)", "tags": ["notifications"], "security": [{ "bearer": [] }],
                "responses": { "200": { "description": "data: {match, message}", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              },
              "put": {
                "operationId": "changeNotificationMailSettings", "summary": "Turn notification mails on or off by kind; audited", "tags": ["notifications"], "security": [{ "bearer": [] }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "properties": { "match": { "type": "boolean" }, "message": { "type": "boolean" } } } } } },
                "responses": {
                  "200": { "description": "data: {match, message}", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }
                }
              }
            },
            "/api/me/pause": {
              "put": {
                "operationId": "pauseProfile", "summary": "Pause my profile (휴면): introduced to no one, my card seen only by the people I am already matched with; audited", "tags": ["profiles"], "security": [{ "bearer": [] }],
                "responses": { "200": { "description": "data: {pausedAt, outsideWriterAllowed}", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } }, "401": { "$ref": "#/components/responses/Unauthorized" }, "404": { "description": "PROFILE_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              },
              "delete": {
                "operationId": "resumeProfile", "summary": "Come back from a pause; audited", "tags": ["profiles"], "security": [{ "bearer": [] }],
                "responses": { "200": { "description": "data: {pausedAt: null, outsideWriterAllowed}", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } }, "401": { "$ref": "#/components/responses/Unauthorized" }, "404": { "description": "PROFILE_NOT_FOUND", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
              }
            },
            "/api/we-met": {
              "get": {
                "operationId": "weMetQuestions", "summary": "My matches ready to be asked 'have you met?': three days after the match, once each of us wrote at least three messages, until I answer", "tags": ["matching"], "security": [{ "bearer": [] }],
                "responses": { "200": { "description": "data: [{matchId, user, matchedAt}]", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } }, "401": { "$ref": "#/components/responses/Unauthorized" } }
              }
            },
            "/api/matches/{matchId}/we-met": {
              "post": {
                "operationId": "answerWeMet", "summary": "My private answer: whether we met and, if so, whether I would meet again (yes, no, unsure); only I can read it; the engine learns from it more than from a like", "tags": ["matching"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "matchId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["met"], "properties": { "met": { "type": "boolean" }, "wantAgain": { "type": "string", "enum": ["yes", "no", "unsure"] } } } } } },
                "responses": {
                  "200": { "description": "Recorded", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "description": "NOTHING_TO_ANSWER: not my match, or not yet one to ask about", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/admin/matching-funnel": {
              "get": {
                "operationId": "matchingFunnel", "summary": "The matching funnel over the last days (counts only): likes, matches, conversations (both wrote), answers after meeting, met, want to meet again, and each step's share of the one before (likeToMatch counts two likes per match) (admins; service tokens with ops:read)", "tags": ["admin"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "days", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 365, "default": 30 } }],
                "responses": {
                  "200": { "description": "data: {days, likes, matches, conversations, answers, met, wantAgain, likeToMatch, matchToConversation, answeredMet, metToWantAgain}", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/admin/mail": {
              "get": {
                "operationId": "adminMailOutbox", "summary": "The mail outbox: counts per state and the newest mails in one state, with attempts and last error, never the content (admins; service tokens with mail:read)", "tags": ["admin"], "security": [{ "bearer": [] }],
                "parameters": [
                  { "name": "state", "in": "query", "schema": { "type": "string", "enum": ["pending", "sent", "dead"], "default": "dead" } },
                  { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500, "default": 50 } }
                ],
                "responses": {
                  "200": { "description": "Counts and mails: data.counts {pending, sent, dead}; data.mails [{id, kind, recipient, state, attempts, nextAttemptAt, lastError, createdAt, sentAt}]", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/admin/mail/{mailId}/retry": {
              "post": {
                "operationId": "adminRetryMail", "summary": "Send a dead letter again, its tries counted afresh; audited (admins; service tokens with mail:write)", "tags": ["admin"], "security": [{ "bearer": [] }],
                "parameters": [{ "name": "mailId", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "responses": {
                  "200": { "description": "Queued again", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "description": "FORBIDDEN", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "404": { "description": "MAIL_NOT_FOUND: no dead letter with this number", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/openapi.json": {
              "get": {
                "operationId": "openAPIDocument", "summary": "This document", "tags": ["docs"],
                "responses": { "200": { "description": "OpenAPI 3.1 JSON", "content": { "application/json": { "schema": { "type": "object" } } } } }
              }
            },
            "/docs": {
              "get": {
                "operationId": "apiDocsPage", "summary": "A readable page of this document", "tags": ["docs"],
                "responses": { "200": { "description": "HTML page", "content": { "text/html": { "schema": { "type": "string" } } } } }
              }
            }
          },
          "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } },
            "parameters": {
              "Limit": { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 50 } },
              "Offset": { "name": "offset", "in": "query", "schema": { "type": "integer", "minimum": 0, "default": 0 } }
            },
            "responses": {
              "Pong": { "description": "Alive", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PongEnvelope" } } } },
              "BadRequest": { "description": "A malformed parameter (codes INVALID_PARAMETER, INVALID_USER_ID)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "UserNotFound": { "description": "USER_NOT_FOUND: absent, or not visible to the caller", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "Unauthorized": { "description": "AUTH_REQUIRED, INVALID_TOKEN, INVALID_CREDENTIALS, INVALID_REFRESH_TOKEN or REFRESH_TOKEN_REUSED", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "TooManyRequests": { "description": "TOO_MANY_REQUESTS, with Retry-After", "headers": { "Retry-After": { "schema": { "type": "integer" } } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "UnsupportedMediaType": { "description": "UNSUPPORTED_MEDIA_TYPE: the JSON body was not sent as application/json", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "TooManyAttempts": { "description": "TOO_MANY_ATTEMPTS, with Retry-After", "headers": { "Retry-After": { "schema": { "type": "integer" } } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "Done": { "description": "Done", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Envelope" } } } },
              "Tokens": { "description": "Access and refresh tokens", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TokensEnvelope" } } } },
              "DatabaseUnavailable": { "description": "DATABASE_UNAVAILABLE", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            },
            "schemas": {
              "Error": {
                "type": "object", "required": ["success", "error", "code"],
                "properties": {
                  "success": { "const": false }, "error": { "type": "string" }, "code": { "type": "string" },
                  "availableEndpoints": { "type": "array", "items": { "type": "string" }, "description": "Only for ENDPOINT_NOT_FOUND" },
                  "fields": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Only for rejected forms: the problem with each field" }
                }
              },
              "PongEnvelope": { "$ref": "#/components/schemas/Envelope", "properties": { "data": { "type": "object", "properties": { "pong": { "type": "boolean" }, "timestamp": { "type": "string", "format": "date-time" } } } } },
              "SignupRequest": {
                "type": "object", "required": ["email", "password", "name", "consents"],
                "properties": {
                  "email": { "type": "string", "format": "email" }, "password": { "type": "string", "minLength": 8, "maxLength": 256 },
                  "name": { "type": "string", "minLength": 1, "maxLength": 40 },
                  "consents": { "type": "object", "required": ["terms", "privacy"], "properties": { "terms": { "type": "boolean" }, "privacy": { "type": "boolean" }, "marketing": { "type": "boolean" } } }
                }
              },
              "TokensEnvelope": {
                "$ref": "#/components/schemas/Envelope",
                "properties": {
                  "data": {
                    "type": "object",
                    "properties": {
                      "accessToken": { "type": "string" }, "refreshToken": { "type": "string" }, "tokenType": { "const": "Bearer" },
                      "expiresIn": { "type": "integer" }, "refreshExpiresIn": { "type": "integer" }, "sessionId": { "type": "string", "format": "uuid" }
                    }
                  }
                }
              },
              "Envelope": {
                "type": "object", "required": ["success", "data", "message"],
                "properties": { "success": { "const": true }, "data": {}, "message": { "type": "string" } }
              },
              "Health": {
                "type": "object", "required": ["status", "version", "database", "uptimeSeconds", "timestamp"],
                "properties": {
                  "status": { "enum": ["healthy", "degraded", "stopping"] }, "version": { "type": "string", "description": "The build: a release's VERSION stamp (package version, date and commit), or the package version +development" },
                  "database": { "enum": ["connected", "unreachable", "not checked"] },
                  "uptimeSeconds": { "type": "integer" }, "timestamp": { "type": "string", "format": "date-time" }
                }
              },
              "Readiness": {
                "type": "object", "required": ["ready", "version", "database", "reasons"],
                "properties": {
                  "ready": { "type": "boolean" }, "version": { "type": "string" },
                  "database": { "enum": ["writable", "read-only", "unreachable", "not checked"] },
                  "schema": { "type": "object", "properties": { "applied": { "type": "integer" }, "expected": { "type": "integer" } } },
                  "reasons": { "type": "array", "items": { "type": "string" } }
                }
              },
              "ReadinessEnvelope": { "$ref": "#/components/schemas/Envelope", "properties": { "data": { "$ref": "#/components/schemas/Readiness" } } },
              "NotReady": {
                "type": "object", "required": ["success", "error", "code", "data"],
                "properties": { "success": { "const": false }, "error": { "type": "string" }, "code": { "const": "NOT_READY" }, "data": { "$ref": "#/components/schemas/Readiness" } }
              },
              "HealthEnvelope": { "$ref": "#/components/schemas/Envelope", "properties": { "data": { "$ref": "#/components/schemas/Health" } } },
              "DegradedHealth": {
                "type": "object", "required": ["success", "error", "code", "data"],
                "properties": { "success": { "const": false }, "error": { "type": "string" }, "code": { "enum": ["SERVICE_DEGRADED", "SHUTTING_DOWN"] }, "data": { "$ref": "#/components/schemas/Health" } }
              },
              "EnhancedHealthEnvelope": {
                "$ref": "#/components/schemas/Envelope",
                "properties": {
                  "data": {
                    "type": "object",
                    "properties": {
                      "status": { "enum": ["healthy", "degraded"] }, "version": { "type": "string" }, "uptimeSeconds": { "type": "integer" },
                      "timestamp": { "type": "string", "format": "date-time" },
                      "database": {
                        "type": "object",
                        "properties": {
                          "status": { "enum": ["connected", "unreachable"] }, "roundTripMs": { "type": "number" }, "error": { "type": "string" },
                          "pool": { "type": "object", "properties": { "maximumConnections": { "type": "integer" }, "openConnections": { "type": "integer" }, "activeConnections": { "type": "integer" } } }
                        }
                      },
                      "memory": { "type": "object", "properties": { "residentBytes": { "type": "integer" }, "residentMegabytes": { "type": "number" } } },
                      "usersCount": { "type": ["integer", "null"], "description": "People listed, kept by the database and read in the background" },
                      "backgroundFiguresAgeSeconds": { "type": "number", "description": "How old usersCount and database.pool are: read in the background every few seconds, never per request (the round trip is measured now)" },
                      "featureFlags": { "$ref": "#/components/schemas/FeatureFlags" }
                    }
                  }
                }
              },
              "FeatureFlags": {
                "type": "object", "description": "Each flag's setting: true, false or a sticky percentage such as 25%",
                "properties": { "enhancedAuth": { "type": "string" }, "aiInsights": { "type": "string" }, "realTimeChat": { "type": "string" } }
              },
              "RLSStatusEnvelope": {
                "$ref": "#/components/schemas/Envelope",
                "properties": {
                  "data": {
                    "type": "object",
                    "properties": {
                      "enforced": { "type": "boolean" }, "connectedRole": { "type": "string" }, "superuser": { "type": "boolean" },
                      "bypassrls": { "type": "boolean" }, "ownsTables": { "type": "boolean" },
                      "tables": { "type": "array", "items": { "type": "object", "properties": { "table": { "type": "string" }, "rlsEnabled": { "type": "boolean" }, "rlsForced": { "type": "boolean" }, "policies": { "type": "integer" } } } },
                      "featureFlags": { "$ref": "#/components/schemas/FeatureFlags" }
                    }
                  }
                }
              },
              "ProfileCard": {
                "type": "object", "description": "A public card: never e-mail, phone, birth date or coordinates",
                "required": ["id", "name", "gender", "maritalStatus", "hasChildren", "city", "occupation", "interests", "bio", "communicationStyle"],
                "properties": {
                  "id": { "type": "string", "format": "uuid" }, "name": { "type": "string" },
                  "ageRange": { "type": ["string", "null"], "enum": ["40-45", "46-50", "51-55", "56-60", "60+", "40 미만", null] },
                  "gender": { "enum": ["male", "female"] }, "maritalStatus": { "enum": ["single", "divorced", "widowed", "separated"] },
                  "hasChildren": { "type": "boolean" }, "city": { "type": "string" }, "district": { "type": ["string", "null"] },
                  "occupation": { "type": "string" }, "interests": { "type": "array", "items": { "type": "string" } },
                  "bio": { "type": "string" }, "communicationStyle": { "enum": ["direct", "diplomatic", "supportive", "analytical"] }
                }
              },
              "UsersEnvelope": {
                "$ref": "#/components/schemas/Envelope",
                "properties": { "data": { "type": "object", "properties": { "users": { "type": "array", "items": { "$ref": "#/components/schemas/ProfileCard" } }, "totalCount": { "type": "integer", "description": "Estimated: how many the caller's list holds, kept by the database as profiles change (never counted per request); exact but for the caller's own blocks, their own card when hidden, and paused matches" }, "currentCount": { "type": "integer" }, "nextCursor": { "type": "string", "description": "Pass as `after` for the next page; absent on the last page" } } } }
              },
              "RLSViewEnvelope": {
                "$ref": "#/components/schemas/Envelope",
                "properties": {
                  "data": {
                    "type": "object",
                    "properties": {
                      "viewer": { "type": "object", "properties": { "role": { "type": "string" }, "userId": { "type": ["string", "null"], "format": "uuid" } } },
                      "users": { "type": "array", "items": { "$ref": "#/components/schemas/ProfileCard" } },
                      "totalCount": { "type": "integer" }, "currentCount": { "type": "integer" }, "enforcedBy": { "type": "string" }
                    }
                  }
                }
              },
              "Breakdown": {
                "type": "object",
                "properties": {
                  "valuesAlignment": { "type": "integer" }, "lifestyleMatch": { "type": "integer" }, "maritalStatusCompatibility": { "type": "integer" },
                  "childrenCompatibility": { "type": "integer" }, "occupationCompatibility": { "type": "integer" }, "ageCompatibility": { "type": "integer" },
                  "locationCompatibility": { "type": "integer" }, "personalityFit": { "type": "integer" }, "sharedInterests": { "type": "integer" },
                  "communicationStyle": { "type": "integer" }
                }
              },
              "AdvancedCompatibility": {
                "type": "object",
                "properties": {
                  "totalScore": { "type": "integer", "minimum": 0, "maximum": 100 }, "breakdown": { "$ref": "#/components/schemas/Breakdown" },
                  "serendipityScore": { "type": "integer" }, "sharedInterests": { "type": "array", "items": { "type": "string" } }, "matchReason": { "type": "string" }
                }
              },
              "MatchingTestEnvelope": {
                "$ref": "#/components/schemas/Envelope",
                "properties": {
                  "data": {
                    "type": "object",
                    "properties": {
                      "users": { "type": "array", "items": { "$ref": "#/components/schemas/ProfileCard" } },
                      "results": {
                        "type": "object",
                        "properties": {
                          "advancedCompatibility": { "$ref": "#/components/schemas/AdvancedCompatibility" },
                          "potentialMatches": {
                            "type": "array",
                            "items": {
                              "type": "object",
                              "properties": {
                                "userId": { "type": "string", "format": "uuid" }, "name": { "type": "string" }, "age": { "type": ["string", "null"] },
                                "compatibilityScore": { "type": "integer" }, "serendipityScore": { "type": "integer" }, "matchReason": { "type": "string" }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              },
              "IntelligentCompatibilityEnvelope": {
                "$ref": "#/components/schemas/Envelope",
                "properties": {
                  "data": {
                    "type": "object",
                    "properties": {
                      "user": { "$ref": "#/components/schemas/ProfileCard" }, "targetUser": { "$ref": "#/components/schemas/ProfileCard" },
                      "compatibility": { "$ref": "#/components/schemas/AdvancedCompatibility" }
                    }
                  }
                }
              }
            }
          }
        }
        """#
}
