#!/usr/bin/env python3
"""Fault drill: PostgreSQL restarted (immediate mode) under steady load.

    scripts/drill-database-restart.py --base-url http://127.0.0.1:3999 --data-dir DIR [--outbox DIR] [--rate 200] [--seconds 12] [--runs 1]

Against a running service (`inyeon serve`) whose database is the project's private cluster in DIR
(scripts/postgres.sh start DIR): sends --rate requests a second that read the database
(`GET /api/health`, which asks PostgreSQL, and `GET /api/users?limit=5`, which reads five people;
with --outbox, the service's mail outbox folder, it also signs a member up and asks
`GET /api/auth/sessions` as them: the small authenticated read, which goes through the pipelined
libpq connections), restarts the cluster with `pg_ctl restart -m immediate` a third of the way through, and prints per
run: the answers by status, the requests that failed, when the database was back, when the service
answered 200 again after it, and the slowest requests with when they started relative to the
restart. A request should fail fast while the database is gone and none should wait out its whole
deadline once the database is back.
"""
import argparse
import concurrent.futures
import email.parser
import email.policy
import glob
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

PATHS = ["/api/health", "/api/users?limit=5"]
MEMBER_PATH = "/api/auth/sessions"


def get(base, path, token=None):
    started = time.monotonic()
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        status = f"error: {getattr(error, 'reason', error)}"
    return started, time.monotonic() - started, path, status


def post(base, path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def signed_up_member(base, outbox):
    """A new member's access token: signed up, the confirmation code read from the outbox."""
    mail = f"drill-restart-{uuid.uuid4().hex[:8]}@example.com"
    post(base, "/api/auth/signup", {"email": mail, "password": f"a long drill password {mail}", "name": "드릴",
                                    "consents": {"terms": True, "privacy": True}})
    parser = email.parser.BytesParser(policy=email.policy.default)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for path in glob.glob(os.path.join(outbox, "*.eml")):
            with open(path, "rb") as file:
                message = parser.parse(file)
            if str(message["To"]).strip() != mail:
                continue
            body = message.get_body(preferencelist=("plain",))
            for line in (body.get_content() if body else "").splitlines():
                if line.strip().startswith("확인 코드:"):
                    code = line.split(":", 1)[1].strip()
                    answer = post(base, "/api/auth/verify-email", {"email": mail, "code": code})
                    return answer["data"]["tokens"]["accessToken"]
        time.sleep(0.3)
    raise SystemExit(f"no confirmation mail to {mail} in {outbox} within 20 s")


def pg_ctl():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise SystemExit("no pg_ctl under /usr/lib/postgresql/*/bin")
    return found[-1]


def restart(data_dir):
    command = [pg_ctl(), "restart", "-D", os.path.join(data_dir, "cluster"), "-m", "immediate", "-w", "-t", "60",
               "-l", os.path.join(data_dir, "postgres.log")]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--"] + command
    began = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return began, time.monotonic()


def run_once(base, data_dir, rate, seconds, token=None):
    results, lock = [], threading.Lock()
    stop_at = time.monotonic() + seconds
    restart_times = {}

    def restarter():
        time.sleep(seconds / 3)
        restart_times["began"], restart_times["back"] = restart(data_dir)

    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        threading.Thread(target=restarter, daemon=True).start()
        futures, index, next_at = [], 0, time.monotonic()
        while time.monotonic() < stop_at:
            paths = PATHS + ([MEMBER_PATH] if token else [])
            path = paths[index % len(paths)]
            futures.append(pool.submit(get, base, path, token if path == MEMBER_PATH else None))
            index += 1
            next_at += 1 / rate
            time.sleep(max(0, next_at - time.monotonic()))
        for future in futures:
            with lock:
                results.append(future.result())
    began, back = restart_times["began"], restart_times["back"]
    by_status = {}
    for _, _, _, status in results:
        by_status[str(status)] = by_status.get(str(status), 0) + 1
    failed = [r for r in results if r[3] != 200]
    recovered = min((s + d for s, d, _, status in results if status == 200 and s > back), default=None)
    print(f"requests: {len(results)} in {seconds} s; by status: {dict(sorted(by_status.items()))}")
    print(f"database down for {back - began:.2f} s (pg_ctl restart -m immediate)")
    if recovered is not None:
        print(f"first 200 started after the database was back: answered {recovered - back:+.2f} s after it was back")
    for started, duration, path, status in sorted(failed, key=lambda r: r[0])[:20]:
        print(f"  failed: {path} {status} started {started - began:+.2f} s from the restart, took {duration:.2f} s")
    print("slowest:")
    for started, duration, path, status in sorted(results, key=lambda r: -r[1])[:5]:
        print(f"  {duration:.2f} s {path} {status} started {started - began:+.2f} s from the restart"
              f" ({started - back:+.2f} s from the database's return)")
    waited_out = [r for r in results if r[1] >= 4.5]
    print(f"requests that took 4.5 s or more: {len(waited_out)}")
    return len(waited_out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--data-dir", required=True, help="the cluster's DATA_DIR (scripts/postgres.sh start DATA_DIR)")
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--outbox", help="the service's MAIL_OUTBOX_DIR: sign a member up and ask their sessions too")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    token = signed_up_member(base, args.outbox) if args.outbox else None
    slow = 0
    for run in range(args.runs):
        print(f"--- run {run + 1} of {args.runs}")
        slow += run_once(base, args.data_dir, args.rate, args.seconds, token)
        time.sleep(2)
    print(f"in all {args.runs} runs, {slow} requests took 4.5 s or more")


if __name__ == "__main__":
    main()
