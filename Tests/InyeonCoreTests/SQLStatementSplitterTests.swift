import InyeonCore
import Testing

@Suite struct SQLStatementSplitterTests {
    @Test func keepsSemicolonsInsideBodiesStringsAndComments() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE t (a text DEFAULT 'x;y');
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
            DO $body$ BEGIN PERFORM 1; END $body$;
            /* block; comment */ SELECT "odd;name" FROM t
            """
        let statements = SQLStatementSplitter.statements(in: script)
        #expect(statements.count == 4)
        #expect(statements[0] == "CREATE TABLE t (a text DEFAULT 'x;y')")
        #expect(statements[1] == "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$")
        #expect(statements[2] == "DO $body$ BEGIN PERFORM 1; END $body$")
        #expect(statements[3] == "SELECT \"odd;name\" FROM t")
    }

    @Test func positionalParametersAreNotDollarQuotes() {
        #expect(SQLStatementSplitter.statements(in: "SELECT $1; SELECT $2") == ["SELECT $1", "SELECT $2"])
    }
}
