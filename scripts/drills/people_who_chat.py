#!/usr/bin/python3
"""People who sign up, match, chat and like through the public entry while a drill kills something;
afterwards every message, like and match they were told of is checked row by row in the database.

  people_who_chat.py prepare --entry HOST --outbox DIR... --chat-pairs N --like-pairs M --out PEOPLE.json
      signs 2(N+M) people up through the API, each from an address of its own on the operator's side
      of the bridge (the service limits sign-ups per address); reads each confirmation code from
      the instances' mail outboxes (the cluster has no SMTP server), confirms, saves a profile;
      the N chat pairs like each other (a match, so a conversation); the M like pairs stay apart
      for `run`
  people_who_chat.py run --people PEOPLE.json --seconds S --out RUN.json
      every chat person holds a WebSocket through the public entry and sends a message every few
      seconds; a socket that closes or breaks gets a new ticket, reconnects (wherever HAProxy sends
      it) with `after=` the last sequence it holds, and sends again, with the same clientId, what
      was not acknowledged. Meanwhile the like pairs like each other, one decision at a time,
      retried until answered. After S seconds the sending stops and the sockets stay until every
      acknowledged message has reached the other person (or 60 s).
  people_who_chat.py verify --people PEOPLE.json --run RUN.json --dsn DSN
      lost: a message acknowledged but not stored as acknowledged (sequence, text), or never
      delivered to the other person; doubled: one text stored twice, or delivered twice; a like
      answered 200 and not stored; a match told (matchId) and not stored, or without its one
      `match.created` audit entry. Exit status 1 on any of them.

The service's duplicate check (one row per sender and clientId) is what makes the resending safe;
a message sent but never acknowledged is "in doubt" (stored or not), which is allowed.
"""
import argparse
import asyncio
import concurrent.futures
import email.parser
import email.policy
import http.client
import json
import os
import random
import statistics
import sys
import time
import uuid

import websockets

MAIL_WAIT_SECONDS = 60
DRAIN_SECONDS = 60


def person_address(index):
    """The source address of person `index` (drill.sh adds them to the bridge: 10.78.0.0/16)."""
    return f"10.78.{index // 250}.{index % 250 + 1}"


def http_json(entry, method, path, body=None, token=None, address=None, timeout=10):
    """(status, decoded body or None); status 0 when the request got no answer."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    connection = http.client.HTTPConnection(entry, 80, timeout=timeout, source_address=(address, 0) if address else None)
    try:
        connection.request(method, path, body=None if body is None else json.dumps(body).encode(), headers=headers)
        response = connection.getresponse()
        text = response.read()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, None
    except (OSError, http.client.HTTPException):
        return 0, None
    finally:
        connection.close()


async def call(entry, method, path, body=None, token=None, address=None):
    return await asyncio.get_running_loop().run_in_executor(None, lambda: http_json(entry, method, path, body, token, address))


async def answered(what, entry, method, path, body=None, token=None, address=None, seconds=60, accept=(200,)):
    """Retries until one of `accept` (or raises after `seconds`): what a patient client does."""
    deadline = time.monotonic() + seconds
    while True:
        status, answer = await call(entry, method, path, body, token, address)
        if status in accept:
            return status, answer
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: {method} {path} answered {status}: {json.dumps(answer)[:300]}")
        await asyncio.sleep(0.3 + random.random() * 0.4)


class Outboxes:
    """The confirmation codes in the instances' outbox folders (.eml files), by recipient."""

    def __init__(self, folders):
        self.folders, self.codes, self.read = folders, {}, set()

    def scan(self):
        parser = email.parser.BytesParser(policy=email.policy.default)
        for folder in self.folders:
            if not os.path.isdir(folder):
                continue
            for entry in os.scandir(folder):
                if not entry.name.endswith(".eml") or entry.path in self.read:
                    continue
                try:
                    with open(entry.path, "rb") as file:
                        message = parser.parse(file)
                except (OSError, UnicodeDecodeError):
                    continue
                self.read.add(entry.path)
                body = message.get_body(preferencelist=("plain",))
                for line in (body.get_content() if body else "").splitlines():
                    if line.strip().startswith("확인 코드:"):
                        self.codes[str(message["To"]).strip()] = line.split(":", 1)[1].strip()

    async def code_for(self, address):
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        while address not in self.codes:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no confirmation mail to {address} within {MAIL_WAIT_SECONDS} s")
            await asyncio.sleep(0.3)
            self.scan()
        return self.codes[address]


def profile(index, gender):
    return {
        "displayName": f"드릴{index}", "birthYear": 1966 + index % 10, "gender": gender,
        "seeking": "male" if gender == "female" else "female", "maritalStatus": "widowed",
        "children": {"count": 1, "ageGroups": ["adult"], "livingTogether": False, "preference": "no_preference"},
        "occupation": {"industry": "education", "position": "교사", "schedule": "regular"},
        "lifestyle": {"livingArrangement": "alone", "ownsHome": True, "fitness": "moderate", "social": "high", "travel": "quarterly"},
        "location": {"city": "부산", "district": "해운대구"},
        "interests": ["등산", "사진"], "bio": "산책과 사진을 좋아합니다.", "communicationStyle": "supportive",
        "preferences": {"ageMin": 45, "ageMax": 70, "maxDistanceKm": 30, "maritalStatuses": ["widowed", "divorced", "single"],
                        "occupationImportance": 2, "lifestyleImportance": 3},
        "privacy": {"showAge": True, "showLocation": True, "searchable": True, "allowPublicListing": False},
    }


async def prepare(args):
    asyncio.get_running_loop().set_default_executor(concurrent.futures.ThreadPoolExecutor(32))
    count = 2 * (args.chat_pairs + args.like_pairs)
    run = uuid.uuid4().hex[:8]
    outboxes = Outboxes(args.outbox)
    outboxes.scan()
    gate = asyncio.Semaphore(12)
    started = time.monotonic()

    async def person(index):
        async with gate:
            address = person_address(index)
            mail = f"drill-{run}-{index}@example.com"
            password = f"a long drill password {run} {index}"
            await answered("sign-up", args.entry, "POST", "/api/auth/signup", {
                "email": mail, "password": password, "name": f"드릴{index}", "consents": {"terms": True, "privacy": True},
            }, address=address, accept=(200, 201, 202))
            code = await outboxes.code_for(mail)
            _, signed_in = await answered("confirmation", args.entry, "POST", "/api/auth/verify-email",
                                          {"email": mail, "code": code}, address=address, accept=(200, 201))
            token = signed_in["data"]["tokens"]["accessToken"]
            gender = "female" if index % 2 == 0 else "male"
            await answered("profile", args.entry, "PUT", "/api/me/profile", profile(index, gender), token=token, address=address)
            return {"index": index, "email": mail, "userId": signed_in["data"]["userId"], "token": token, "address": address}

    people = await asyncio.gather(*(person(index) for index in range(count)))
    signed_up = time.monotonic() - started

    async def match(a, b):
        await answered("like", args.entry, "POST", "/api/matching/decisions", {"userId": b["userId"], "decision": "like"},
                       token=a["token"], address=a["address"])
        _, decided = await answered("like back", args.entry, "POST", "/api/matching/decisions", {"userId": a["userId"], "decision": "like"},
                                    token=b["token"], address=b["address"])
        if not decided["data"]["matched"]:
            raise RuntimeError(f"{a['email']} and {b['email']} liked each other and were not matched: {decided}")
        return decided["data"]["matchId"]

    chat_pairs = []
    for k in range(args.chat_pairs):
        a, b = people[2 * k], people[2 * k + 1]
        chat_pairs.append({"a": a["index"], "b": b["index"]})
    conversations = await asyncio.gather(*(match(people[p["a"]], people[p["b"]]) for p in chat_pairs))
    for pair, conversation in zip(chat_pairs, conversations):
        pair["conversation"] = conversation
    offset = 2 * args.chat_pairs
    like_pairs = [{"a": offset + 2 * k, "b": offset + 2 * k + 1} for k in range(args.like_pairs)]
    with open(args.out, "w") as file:
        json.dump({"entry": args.entry, "run": run, "people": people, "chatPairs": chat_pairs, "likePairs": like_pairs}, file)
    print(f"{count} people signed up, confirmed by mail and with a profile in {signed_up:.1f} s;"
          f" {len(chat_pairs)} pairs matched for chatting, {len(like_pairs)} pairs to like each other during the drill")


class Chatter:
    """One person's chat socket: sends, resumes, and remembers what it was told."""

    def __init__(self, person, partner, conversation, entry, interval):
        self.person, self.partner, self.conversation, self.entry = person, partner, conversation, entry
        self.me = person["userId"]
        self.interval = interval
        self.pending = {}          # clientId -> text, sent and not yet acknowledged
        self.acknowledged = {}     # clientId -> {sequence, text}
        self.received = {}         # sequence -> times delivered (the partner's messages)
        self.seen = set()          # every sequence of the conversation this person holds
        self.contiguous = 0        # the highest sequence with every one before it held
        self.sent = 0
        self.socket = None
        self.ready = asyncio.Event()
        self.reconnects, self.close_codes, self.resume_seconds, self.errors = 0, {}, [], {}
        self.broken_at = None

    def hold(self, sequence):
        self.seen.add(sequence)
        while self.contiguous + 1 in self.seen:
            self.contiguous += 1

    async def send(self, client_id, text):
        if self.socket is not None and self.ready.is_set():
            try:
                await self.socket.send(json.dumps({"type": "send", "clientId": client_id, "text": text}))
            except websockets.ConnectionClosed:
                pass

    async def sending(self, until):
        await asyncio.sleep(random.random() * self.interval)
        while time.monotonic() < until:
            client_id = f"{self.person['index']}-{self.sent}-{uuid.uuid4().hex[:6]}"
            text = f"드릴 메시지 {client_id}: 오늘 산책 어떠셨어요?"
            self.sent += 1
            self.pending[client_id] = text
            await self.send(client_id, text)
            await asyncio.sleep(max(0.0, min(self.interval, until - time.monotonic())))

    async def resending(self):
        """What was sent and not acknowledged, sent again (same clientId) every 2 s while open."""
        while True:
            await asyncio.sleep(2)
            for client_id, text in list(self.pending.items()):
                await self.send(client_id, text)

    def handle(self, frame):
        kind = frame.get("type")
        if kind == "ready":
            self.ready.set()
            # What was not acknowledged before the break, sent again at once (the same clientIds).
            for client_id, text in list(self.pending.items()):
                asyncio.get_running_loop().create_task(self.send(client_id, text))
            if self.broken_at is not None:
                self.resume_seconds.append(time.monotonic() - self.broken_at)
                self.broken_at = None
        elif kind == "ack":
            message = frame.get("message") or {}
            client_id = frame.get("clientId")
            if client_id in self.pending:
                self.acknowledged[client_id] = {"sequence": message["sequence"], "text": message["text"]}
                del self.pending[client_id]
            self.hold(message["sequence"])
        elif kind == "message":
            message = frame["message"]
            if message["senderId"] != self.me:
                self.received[message["sequence"]] = self.received.get(message["sequence"], 0) + 1
            self.hold(message["sequence"])
        elif kind == "error":
            code = frame.get("code", "?")
            self.errors[code] = self.errors.get(code, 0) + 1

    async def connected(self, stop):
        """Keeps a socket open until `stop` is set, reconnecting and resuming whenever it breaks."""
        resender = asyncio.create_task(self.resending())
        try:
            while not stop.is_set():
                try:
                    _, ticket = await answered("ticket", self.entry, "POST", "/api/auth/websocket-ticket", {},
                                               token=self.person["token"], address=self.person["address"], seconds=120)
                    url = (f"ws://{self.entry}/api/conversations/{self.conversation}/socket"
                           f"?ticket={ticket['data']['ticket']}&after={self.contiguous}")
                    async with websockets.connect(url, local_addr=(self.person["address"], 0), open_timeout=10,
                                                  close_timeout=2, ping_interval=5, ping_timeout=10, max_size=1 << 20) as socket:
                        self.socket = socket
                        stopping = asyncio.create_task(stop.wait())
                        try:
                            while True:
                                receiving = asyncio.create_task(socket.recv())
                                done, _ = await asyncio.wait({receiving, stopping}, return_when=asyncio.FIRST_COMPLETED)
                                if stopping in done:
                                    receiving.cancel()
                                    await socket.close()
                                    return
                                self.handle(json.loads(receiving.result()))
                        finally:
                            stopping.cancel()
                except websockets.ConnectionClosed as closed:
                    code = closed.rcvd.code if closed.rcvd else 1006
                    self.close_codes[code] = self.close_codes.get(code, 0) + 1
                except (OSError, asyncio.TimeoutError, websockets.InvalidHandshake) as error:
                    name = f"HTTP {error.status_code}" if isinstance(error, websockets.InvalidStatusCode) else type(error).__name__
                    self.errors[name] = self.errors.get(name, 0) + 1
                finally:
                    self.socket = None
                if stop.is_set():
                    return
                self.ready.clear()
                if self.broken_at is None:
                    self.broken_at = time.monotonic()
                self.reconnects += 1
                # Not all at once: the others' sockets break at the same moment.
                await asyncio.sleep(0.2 + random.random() * 1.0)
        finally:
            resender.cancel()


async def liking(people, pairs, entry, seconds, decisions, attempts):
    """The like pairs like each other one decision at a time, spread over the drill; each decision is
    retried until answered 200 (a like is idempotent), and what each answer said is kept."""
    pace = seconds / max(1, 2 * len(pairs))
    for pair in pairs:
        for first, second in ((pair["a"], pair["b"]), (pair["b"], pair["a"])):
            a, b = people[first], people[second]
            started = time.monotonic()
            while True:
                attempts["tried"] += 1
                status, answer = await call(entry, "POST", "/api/matching/decisions", {"userId": b["userId"], "decision": "like"},
                                            token=a["token"], address=a["address"])
                if status == 200:
                    data = answer["data"]
                    decisions.append({"from": a["userId"], "to": b["userId"], "matched": data["matched"], "matchId": data.get("matchId")})
                    break
                attempts["failed"] += 1
                attempts.setdefault("statuses", {})
                attempts["statuses"][str(status)] = attempts["statuses"].get(str(status), 0) + 1
                if time.monotonic() - started > 120:
                    raise RuntimeError(f"a like was not answered 200 within 120 s (last {status})")
                await asyncio.sleep(0.5)
            await asyncio.sleep(pace)


async def run(args):
    asyncio.get_running_loop().set_default_executor(concurrent.futures.ThreadPoolExecutor(48))
    with open(args.people) as file:
        plan = json.load(file)
    people = {p["index"]: p for p in plan["people"]}
    entry = plan["entry"]
    chatters = []
    for pair in plan["chatPairs"]:
        a, b = people[pair["a"]], people[pair["b"]]
        chatters.append(Chatter(a, b, pair["conversation"], entry, args.interval))
        chatters.append(Chatter(b, a, pair["conversation"], entry, args.interval))
    by_user = {c.me: c for c in chatters}
    stop = asyncio.Event()
    connections = [asyncio.create_task(c.connected(stop)) for c in chatters]
    opened = time.monotonic()
    try:
        await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in chatters)), timeout=60)
    except asyncio.TimeoutError:
        waiting = [c for c in chatters if not c.ready.is_set()]
        errors = {}
        for c in waiting:
            for code, n in c.errors.items():
                errors[code] = errors.get(code, 0) + n
        sys.exit(f"{len(waiting)} of {len(chatters)} sockets not open within 60 s; what they met: {errors or 'nothing'}")
    print(f"{len(chatters)} sockets open through the public entry in {time.monotonic() - opened:.1f} s", flush=True)
    started = time.monotonic()
    until = started + args.seconds
    decisions, attempts = [], {"tried": 0, "failed": 0}
    likes = asyncio.create_task(liking(people, plan["likePairs"], entry, args.seconds, decisions, attempts))
    await asyncio.gather(*(c.sending(until) for c in chatters))
    sent_for = time.monotonic() - started

    def delivered_everything():
        for c in chatters:
            if c.pending:
                return False
            partner = by_user[c.partner["userId"]]
            if any(m["sequence"] not in c.received for m in partner.acknowledged.values()):
                return False
        return True

    drain_started = time.monotonic()
    while not delivered_everything() and time.monotonic() - drain_started < DRAIN_SECONDS:
        await asyncio.sleep(0.2)
    drained = time.monotonic() - drain_started
    await likes
    stop.set()
    await asyncio.gather(*connections, return_exceptions=True)
    resumes = [s for c in chatters for s in c.resume_seconds]
    close_codes, errors = {}, {}
    for c in chatters:
        for code, n in c.close_codes.items():
            close_codes[str(code)] = close_codes.get(str(code), 0) + n
        for code, n in c.errors.items():
            errors[code] = errors.get(code, 0) + n
    result = {
        "sockets": len(chatters), "sentForSeconds": round(sent_for, 1), "drainSeconds": round(drained, 1),
        "sent": sum(c.sent for c in chatters),
        "acknowledged": [{"conversation": c.conversation, "sender": c.me, "receiver": c.partner["userId"], "clientId": k, **v}
                         for c in chatters for k, v in c.acknowledged.items()],
        "inDoubt": sum(len(c.pending) for c in chatters),
        "received": {c.me: {str(s): n for s, n in c.received.items()} for c in chatters},
        "socketsThatMoved": sum(1 for c in chatters if c.reconnects), "reconnects": sum(c.reconnects for c in chatters),
        "resumeSeconds": {"count": len(resumes), "p50": round(statistics.median(resumes), 2) if resumes else None,
                          "max": round(max(resumes), 2) if resumes else None},
        "closeCodes": close_codes, "errors": errors,
        "decisions": decisions, "decisionAttempts": attempts,
    }
    with open(args.out, "w") as file:
        json.dump(result, file)
    r = result
    print(f"messages: {r['sent']} sent in {r['sentForSeconds']} s, {len(r['acknowledged'])} acknowledged, {r['inDoubt']} never acknowledged"
          f" (in doubt); every acknowledged one delivered {r['drainSeconds']} s after the sending stopped" if delivered_everything()
          else f"messages: {r['sent']} sent, {len(r['acknowledged'])} acknowledged; NOT all delivered within {DRAIN_SECONDS} s")
    print(f"sockets: {r['socketsThatMoved']} of {r['sockets']} reconnected ({r['reconnects']} reconnections; close codes {r['closeCodes'] or 'none'});"
          f" resumed (closed to ready again) p50 {r['resumeSeconds']['p50']} s, max {r['resumeSeconds']['max']} s;"
          f" frames and connections refused: {r['errors'] or 'none'}")
    print(f"likes: {len(decisions)} decisions answered 200 ({sum(d['matched'] for d in decisions)} told of a match);"
          f" {attempts['failed']} of {attempts['tried']} attempts failed and were retried {attempts.get('statuses', '')}")


def verify(args):
    import psycopg2

    with open(args.people) as file:
        plan = json.load(file)
    with open(args.run) as file:
        result = json.load(file)
    connection = psycopg2.connect(args.dsn, connect_timeout=5)
    cursor = connection.cursor()
    conversations = sorted({m["conversation"] for m in result["acknowledged"]} | {p["conversation"] for p in plan["chatPairs"]})
    cursor.execute("SELECT match_id::text, sender_id::text, client_message_id, sequence, body FROM messages WHERE match_id = ANY(%s::uuid[])",
                   (conversations,))
    stored, texts = {}, {}
    for match_id, sender, client_id, sequence, body in cursor.fetchall():
        stored[(match_id, sender, client_id)] = (sequence, body)
        texts[body] = texts.get(body, 0) + 1
    lost = [m for m in result["acknowledged"] if stored.get((m["conversation"], m["sender"], m["clientId"])) != (m["sequence"], m["text"])]
    doubled = [t for t, n in texts.items() if n > 1]
    undelivered = [m for m in result["acknowledged"] if str(m["sequence"]) not in result["received"].get(m["receiver"], {})]
    delivered_twice = [m for m in result["acknowledged"] if result["received"].get(m["receiver"], {}).get(str(m["sequence"]), 0) > 1]
    print(f"messages: {len(result['acknowledged'])} acknowledged; stored as acknowledged: {len(result['acknowledged']) - len(lost)};"
          f" lost {len(lost)}; stored twice {len(doubled)}; never delivered to the other person {len(undelivered)};"
          f" delivered twice {len(delivered_twice)}; in the database in all {len(stored)} (the rest were sent but never acknowledged)")

    decisions = result["decisions"]
    users = sorted({d["from"] for d in decisions} | {d["to"] for d in decisions})
    cursor.execute("SELECT from_user_id::text, to_user_id::text, kind FROM likes WHERE from_user_id = ANY(%s::uuid[])", (users,))
    likes = {(a, b): kind for a, b, kind in cursor.fetchall()}
    likes_lost = [d for d in decisions if likes.get((d["from"], d["to"])) != "like"]
    told = {d["matchId"]: d for d in decisions if d["matched"]}
    cursor.execute("SELECT id::text, user_low::text, user_high::text FROM matches WHERE id = ANY(%s::uuid[])", (list(told),))
    matches = {i: {low, high} for i, low, high in cursor.fetchall()}
    matches_lost = [i for i, d in told.items() if matches.get(i) != {d["from"], d["to"]}]
    cursor.execute("SELECT target_id, count(*) FROM audit_log WHERE action = 'match.created' AND target_id = ANY(%s) GROUP BY target_id",
                   (list(told),))
    audited = dict(cursor.fetchall())
    audit_lost = [i for i in told if audited.get(i) != 1]
    print(f"likes: {len(decisions)} answered 200, stored {len(decisions) - len(likes_lost)}, lost {len(likes_lost)};"
          f" matches told {len(told)}, stored {len(told) - len(matches_lost)}, lost {len(matches_lost)};"
          f" their match.created audit entries: {len(told) - len(audit_lost)} of {len(told)} (exactly one each)")
    connection.close()
    failures = len(lost) + len(doubled) + len(undelivered) + len(delivered_twice) + len(likes_lost) + len(matches_lost) + len(audit_lost)
    for m in (lost + undelivered + delivered_twice)[:5]:
        print(f"  e.g. {m}")
    sys.exit(1 if failures else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("prepare")
    p.add_argument("--entry", required=True, help="the public entry's address (HAProxy, port 80)")
    p.add_argument("--outbox", action="append", required=True, help="an instance's mail outbox folder (repeat)")
    p.add_argument("--chat-pairs", type=int, default=100)
    p.add_argument("--like-pairs", type=int, default=40)
    p.add_argument("--out", required=True)
    r = commands.add_parser("run")
    r.add_argument("--people", required=True)
    r.add_argument("--seconds", type=float, required=True)
    r.add_argument("--interval", type=float, default=4.0, help="seconds between one person's messages")
    r.add_argument("--out", required=True)
    v = commands.add_parser("verify")
    v.add_argument("--people", required=True)
    v.add_argument("--run", required=True)
    v.add_argument("--dsn", required=True)
    args = parser.parse_args()
    if args.command == "verify":
        verify(args)
    else:
        asyncio.run(prepare(args) if args.command == "prepare" else run(args))


if __name__ == "__main__":
    main()
