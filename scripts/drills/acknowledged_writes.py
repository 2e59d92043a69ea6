#!/usr/bin/python3
"""Writes numbered rows through HAProxy's write port for a while, one transaction each, and keeps
the numbers PostgreSQL acknowledged (COMMIT answered). A drill kills or cuts something meanwhile;
`verify` then reads the table back from the new leader: an acknowledged number missing is a lost
write. A number stored but never acknowledged (the answer lost with the connection) is in doubt,
which is allowed; a lost one is not.

  acknowledged_writes.py write  --dsn DSN --seconds S --out FILE.json
  acknowledged_writes.py verify --dsn DSN --written FILE.json
"""
import argparse
import json
import sys
import time

import psycopg2


def connect(dsn):
    connection = psycopg2.connect(dsn, connect_timeout=2)
    connection.autocommit = True
    return connection


def write(args):
    acknowledged, failures = [], 0
    outages, outage_started = [], None
    number, connection = 0, None
    started = time.monotonic()
    with connect(args.dsn) as setup:
        setup.cursor().execute(
            "CREATE TABLE IF NOT EXISTS drill_writes (run text, number bigint, written_at timestamptz DEFAULT clock_timestamp(),"
            " PRIMARY KEY (run, number))")
    while time.monotonic() - started < args.seconds:
        number += 1
        try:
            if connection is None:
                connection = connect(args.dsn)
                connection.cursor().execute("SET statement_timeout = '3s'")
            connection.cursor().execute("INSERT INTO drill_writes (run, number) VALUES (%s, %s)", (args.run, number))
            acknowledged.append(number)
            if outage_started is not None:
                outages.append({"from": round(outage_started - started, 3), "seconds": round(time.monotonic() - outage_started, 3)})
                outage_started = None
        except psycopg2.Error:
            failures += 1
            if outage_started is None:
                outage_started = time.monotonic()
            try:
                if connection is not None:
                    connection.close()
            except psycopg2.Error:
                pass
            connection = None
            time.sleep(0.05)
        if args.pace:
            time.sleep(args.pace)
    if outage_started is not None:
        outages.append({"from": round(outage_started - started, 3), "seconds": None})
    result = {"run": args.run, "attempts": number, "acknowledged": acknowledged, "failed": failures, "outages": outages,
              "seconds": round(time.monotonic() - started, 3)}
    json.dump(result, open(args.out, "w"))
    print(json.dumps({k: v for k, v in result.items() if k != "acknowledged"} | {"acknowledgedCount": len(acknowledged)}))


def verify(args):
    written = json.load(open(args.written))
    with connect(args.dsn) as connection:
        cursor = connection.cursor()
        cursor.execute("SELECT number FROM drill_writes WHERE run = %s", (written["run"],))
        stored = {row[0] for row in cursor.fetchall()}
    acknowledged = set(written["acknowledged"])
    lost = sorted(acknowledged - stored)
    in_doubt = sorted(stored - acknowledged)
    print(json.dumps({"acknowledged": len(acknowledged), "stored": len(stored), "lost": len(lost), "lostNumbers": lost[:20],
                      "inDoubt": len(in_doubt)}))
    sys.exit(1 if lost else 0)


parser = argparse.ArgumentParser()
sub = parser.add_subparsers(dest="command", required=True)
w = sub.add_parser("write")
w.add_argument("--dsn", required=True)
w.add_argument("--seconds", type=float, default=60)
w.add_argument("--run", default=str(int(time.time())))
w.add_argument("--pace", type=float, default=0.0)
w.add_argument("--out", required=True)
v = sub.add_parser("verify")
v.add_argument("--dsn", required=True)
v.add_argument("--written", required=True)
args = parser.parse_args()
write(args) if args.command == "write" else verify(args)
