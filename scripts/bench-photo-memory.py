#!/usr/bin/env python3
"""Photo uploads under load: memory of the service and a login's wait while large photos pour in.

    scripts/bench-photo-memory.py --base-url http://127.0.0.1:3999 --outbox DIR --pid PID [--people 10] [--uploads 50]

Against a running service (`inyeon serve`) whose mail outbox is DIR and whose process is PID: signs
up --people people (confirming through the outbox), sends --uploads uploads of a 15-megapixel,
~9 MB JPEG of noise at once (spread over the people), samples the process's resident memory every
50 ms, and times a login made while they are in flight. Prints the answers by status, the resident
memory before, at its peak and 5 s after, and the login's time. Needs Pillow (pip install pillow).
"""
import argparse
import concurrent.futures
import io
import json
import os
import re
import threading
import time
import urllib.error
import urllib.request

PASSWORD = "a calm morning walk by the river"


def request(base, method, path, body=None, token=None, content_type="application/json"):
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError) as error:
        # A full service may answer (503) and close before a large body is all sent.
        return 0, str(getattr(error, "reason", error)).encode()


def sign_up(base, outbox, index):
    email = f"photo-bench-{os.getpid()}-{index}@example.com"
    status, body = request(base, "POST", "/api/auth/signup", {
        "email": email, "password": PASSWORD, "name": f"사진{index}", "consents": {"terms": True, "privacy": True, "marketing": False},
    })
    assert status == 202, (status, body)
    for _ in range(100):
        for name in os.listdir(outbox):
            text = open(os.path.join(outbox, name), encoding="utf-8", errors="replace").read()
            if email in text:
                code = re.search(r"확인 코드: (\S+)", text).group(1)
                status, body = request(base, "POST", "/api/auth/verify-email", {"email": email, "code": code})
                assert status == 201, (status, body)
                return email, json.loads(body)["data"]["tokens"]["accessToken"]
        time.sleep(0.05)
    raise SystemExit(f"no confirmation mail for {email} in {outbox}")


def resident_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--outbox", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--uploads", type=int, default=50)
    args = parser.parse_args()

    from PIL import Image
    image = Image.frombytes("RGB", (4800, 3200), os.urandom(4800 * 3200 * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=75)
    photo = buffer.getvalue()

    people = [sign_up(args.base_url, args.outbox, index) for index in range(args.people)]
    login_email = people[0][0]
    before = resident_mb(args.pid)
    peak = [before]
    running = threading.Event()
    running.set()

    def sample():
        while running.is_set():
            peak[0] = max(peak[0], resident_mb(args.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.uploads + 1) as pool:
        uploads = [pool.submit(request, args.base_url, "POST", "/api/me/photos", photo, people[i % len(people)][1], "image/jpeg")
                   for i in range(args.uploads)]
        time.sleep(0.5)
        started = time.monotonic()
        login_status, _ = request(args.base_url, "POST", "/api/auth/login", {"email": login_email, "password": PASSWORD})
        login_seconds = time.monotonic() - started
        statuses = {}
        for upload in uploads:
            status, body = upload.result()
            code = json.loads(body).get("code", "") if body[:1] == b"{" else ""
            key = f"{status} {code}".strip() if status else "closed while the body was sent (answered before reading it)"
            statuses[key] = statuses.get(key, 0) + 1
    time.sleep(5)
    running.clear()
    sampler.join()
    after = resident_mb(args.pid)
    print(f"{args.uploads} uploads of {len(photo) / 1e6:.1f} MB ({image.width}x{image.height}) at once, from {args.people} people")
    print("answers:", ", ".join(f"{count} × {key}" for key, count in sorted(statuses.items())))
    print(f"resident memory: {before:.0f} MB before, {peak[0]:.0f} MB at the peak, {after:.0f} MB 5 s after")
    print(f"a login during the uploads: {login_status} in {login_seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
