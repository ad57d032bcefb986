"""Rerun of the outside attack of issue #16 against a running DEMO portal (``make run``).

    .venv/bin/python -m tests.security.probe_live http://127.0.0.1:5000 instance

It signs in with the demo accounts (docs/demo-data.md), creates a token, a dataset and uploads,
so never point it at a portal with real data. One line per probe, OK when the finding stays
closed; the last line counts them. Not collected by pytest: tests/security/test_*.py are the
regression tests, this is the same attack from outside, over HTTP.
"""
import glob
import json
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

BASE = sys.argv[1].rstrip("/")
INSTANCE = sys.argv[2] if len(sys.argv) > 2 else None
results = []


def say(name, ok, detail=""):
    results.append(ok)
    print(("OK  " if ok else "FAIL") + f" {name} {detail}", flush=True)


def csrf(s, path):
    html = s.get(BASE + path).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(user, pw):
    s = requests.Session()
    r = s.post(BASE + "/masuk", data={"login": user, "password": pw, "csrf_token": csrf(s, "/masuk")},
               allow_redirects=False)
    assert r.status_code == 302, r.status_code
    return s


# High 1: Host poisoning
s = requests.Session()
tok = csrf(s, "/akun/lupa-kata-sandi")
r = s.post(BASE + "/akun/lupa-kata-sandi", data={"csrf_token": tok, "email": "admin.satudata@satudata.example"},
           headers={"Host": "evil.example"})
say("reset with forged Host", r.status_code == 400, r.status_code)
for path in ("/api/v1/datasets?limit=1", "/api/3/action/package_search?rows=1"):
    r = requests.get(BASE + path, headers={"Host": "evil.example"})
    say(f"forged Host on {path}", r.status_code == 400, r.status_code)
r = requests.get(BASE + "/api/3/action/package_search?rows=1", headers={"X-Forwarded-Host": "evil.example"})
say("X-Forwarded-Host ignored", "evil.example" not in r.text, r.status_code)
if INSTANCE:
    time.sleep(1)
    mails = glob.glob(os.path.join(INSTANCE, "mail", "*.eml"))
    hits = [f for f in mails if "evil.example" in open(f, errors="replace").read()]  # noqa: SIM115
    say("no mail links to evil.example", not hits, hits[:1])

# High 2: fq_list DoS
t = time.perf_counter()
r = requests.post(BASE + "/api/3/action/package_search", json={"fq_list": ["-name:a"] * 20000}, timeout=30)
say("20,000 fq_list clauses", r.status_code == 409, f"{r.status_code} in {time.perf_counter() - t:.2f}s")
r = requests.post(BASE + "/api/3/action/package_search", json={"fq_list": ["-name:a"] * 990}, timeout=30)
say("990 clauses", r.status_code == 409, r.status_code)
r = requests.post(BASE + "/api/3/action/package_search", json={"fq_list": ["-name:a"] * 50}, timeout=60)
say("50 clauses answered", r.status_code == 200, r.status_code)

# Producer session + token
prod = login("produsen.dinkes.rohil", "demo-produsen-2026")
page = prod.get(BASE + "/akun").text
form_id = re.search(r'name="token_form" value="([^"]*)"', page).group(1)
r = prod.post(BASE + "/akun/token", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1), "token_form": form_id, "name": "probe",
                                          "scope": "write"})
secret = re.search(r"(sdp_[A-Za-z0-9_\-]+)", r.text).group(1)
say("token secret not in cookie", all(secret not in v for v in prod.cookies.values()), "")
say("token page no-store", "no-store" in r.headers.get("Cache-Control", ""), r.headers.get("Cache-Control"))
auth = {"Authorization": f"Bearer {secret}"}
api = BASE + "/api/v1/workspace"
meta = {"title": "Probe keamanan", "description": "Uji", "topics": ["kesehatan"]}
r = requests.post(api + "/datasets", json=meta, headers=auth)
if r.status_code != 201:
    print("create failed", r.status_code, r.text[:500])
slug = r.json()["data"]["slug"]


def upload(filename, data, name=None):
    return requests.post(f"{api}/datasets/{slug}/resources", headers=auth,
                         files={"file": (filename, data)}, data={"name": name or filename}, timeout=120)


# Medium: regex pattern
r = upload("t.csv", b"kode,nama\n1,aaa\n")
rid = r.json()["data"]["id"] if r.status_code == 201 else None
say("plain upload", r.status_code == 201, r.status_code)
schema = {"fields": [{"name": "kode", "type": "integer"},
                     {"name": "nama", "type": "string", "constraints": {"pattern": "(a+)+(?!x)c"}}]}
r = requests.put(f"{api}/resources/{rid}/schema", json={"table_schema": schema}, headers=auth)
say("ReDoS pattern refused", r.status_code == 422, f"{r.status_code} {r.text[:160]}")

# Medium: wide table
wide = (",".join(f"k{i}" for i in range(15000)) + "\n" + ",".join("1" for _ in range(15000)) + "\n").encode()
t = time.perf_counter()
r = upload("lebar.csv", wide)
say("15,000 columns refused fast", r.status_code in (409, 413, 422), f"{r.status_code} in {time.perf_counter() - t:.2f}s")

# Medium: parallel re-uploads
def reup(i):
    return requests.put(f"{api}/resources/{rid}/file", headers=auth, files={"file": ("t.csv", f"kode,nama\n{i},x{i}\n".encode())},
                        timeout=120).status_code
with ThreadPoolExecutor(12) as pool:
    codes = list(pool.map(reup, range(12)))
say("12 parallel re-uploads", all(c in (200, 409) for c in codes), codes)

# Medium: twin upload data loss
twin = b"kode,nama\n7,kembar\n"
with ThreadPoolExecutor(2) as pool:
    a, b = pool.map(lambda n: upload(n, twin), ["twin.csv", "twin.xlsx"])
ok_resp = a if a.status_code == 201 else b
rid2 = ok_resp.json()["data"]["id"] if ok_resp.status_code == 201 else None
dl = prod.get(f"{BASE}/kelola/dataset/{slug}/sumber/{rid2}/unduh") if rid2 else None
say("twin upload keeps the accepted file", dl is not None and dl.status_code == 200 and dl.content == twin,
    f"{a.status_code}/{b.status_code} dl={getattr(dl, 'status_code', None)}")

# Medium: sessions survive sign-out
saved = dict(prod.cookies)
prod.post(BASE + "/keluar", data={"csrf_token": csrf(prod, "/akun")})
r = requests.get(BASE + "/kelola/", cookies=saved, allow_redirects=False)
say("saved cookie after sign-out", r.status_code in (302, 303), r.status_code)

# Medium: audit csv
admin = login("admin.satudata", "demo-admin-2026")
r = admin.get(BASE + "/admin/audit.csv")
say("audit.csv", r.status_code == 200 and r.text.count("\n") > 10, f"{r.status_code} {r.text.count(chr(10))} lines")

# Low
unknown = requests.Session()
t1 = csrf(unknown, "/masuk")
ra = unknown.post(BASE + "/masuk", data={"login": "tidak.ada.orangnya", "password": "salah", "csrf_token": t1})
rb = unknown.post(BASE + "/masuk", data={"login": "produsen.dinkes.dumai", "password": "salah", "csrf_token": t1})
def strip(t):
    return re.sub(r'value="[^"]*"', "", re.sub(r'name="login"[^>]*', "", t))
say("same sign-in answer", ra.status_code == rb.status_code and strip(ra.text) == strip(rb.text), (ra.status_code, rb.status_code))
for path in ["/standar-data/kependudukan/v99999999999999999999", "/api/v1/workspace/resources/" + "9" * 30]:
    r = admin.get(BASE + path) if "standar" in path else requests.get(BASE + path, headers=auth)
    say(f"huge int {path[:40]}", r.status_code in (401, 404), r.status_code)
r = requests.post(api + "/datasets", data="[" * 100000 + "]" * 100000, headers={**auth, "Content-Type": "application/json"})
say("deep JSON body", r.status_code == 422, r.status_code)
r = upload("dalam.json", ("[" * 5000 + "]" * 5000).encode())
say("deep JSON upload", r.status_code in (409, 422), r.status_code)
r = requests.get(BASE + "/readyz")
say("readyz no path", "/" not in json.dumps(r.json()["checks"]).replace("//", ""), "")
r = upload("utf16.csv", "kode\tnama\n1\tBagansiapiapi\n".encode("utf-16"))
say("UTF-16 text", r.status_code == 201 or "PDF" not in r.text, f"{r.status_code} {r.text[:120]}")
r = upload("n" * 300 + ".csv", b"kode,nama\n1,a\n", name="Nama berkas panjang")
say("long name keeps extension", r.status_code == 201 and r.json()["data"]["filename"].endswith(".csv"), r.status_code)
r = requests.post(api + "/datasets", json={**meta, "title": "x\x00y"}, headers=auth)
say("NUL in JSON", r.status_code == 422, r.status_code)
r = admin.get(BASE + "/kelola/")
say("no-store signed in", "no-store" in r.headers.get("Cache-Control", ""), r.headers.get("Cache-Control"))
with ThreadPoolExecutor(20) as pool:
    codes = list(pool.map(lambda i: requests.get(f"{BASE}/api/3/action/package_search?q=penduduk&rows=5&start={i % 10}").status_code, range(200)))
say("200 searches", set(codes) == {200}, set(codes))
print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
