"""A fake Microsoft Graph (and a fake Entra token endpoint) on loopback.

It keeps a small document library in memory and answers the requests QA Bot makes, in the
shapes kept under tests/fixtures/graph/ (copied from Microsoft's documentation):

- GET  /v1.0/sites/{hostname}:/{path}               the site, by path
- GET  /v1.0/sites/{site-id}/drives                 the site's document libraries
- GET  /v1.0/drives/{drive-id}/items/root/delta()   delta pages: @odata.nextLink, then @odata.deltaLink
- GET  /v1.0/drives/{drive-id}/items/{id}/content   302 to a download URL, like Graph
- POST /{tenant}/oauth2/v2.0/token                  client-credentials tokens (TLS server only)

Every change to the library gets a sequence number; a delta token is the sequence number it
was issued at, so a later delta returns exactly what changed since. Delta items carry no
`parentReference.path`, as on the real service. Scripted faults (`fail_next`) answer 429/503
with Retry-After, or 401, a given number of times.
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "graph"


@functools.cache
def _fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of a fixture (read from disk once)."""
    data: dict[str, Any] = json.loads(_fixture_text(name))
    return data


SITE = fixture("site_by_path.json")
DRIVES = fixture("drives.json")
DRIVE_ID: str = DRIVES["value"][0]["id"]
ROOT_ID = fixture("delta_item_root.json")["id"]
MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
}


@dataclass
class FakeItem:
    id: str
    name: str
    parent_id: str
    folder: bool
    content: bytes = b""
    seq: int = 0
    modified: datetime = field(default_factory=lambda: datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    modified_by: str = "QA Officer"
    deleted: bool = False


@dataclass
class Fault:
    status: int
    times: int
    path_contains: str = ""
    retry_after: int | None = None
    body: dict[str, Any] | None = None


class FakeGraph:
    """Start with `with FakeGraph() as g:`; `g.base_url` is the GRAPH_BASE_URL to use."""

    def __init__(
        self,
        *,
        site_path: str = "contoso.sharepoint.com:/sites/SSCB",
        page_size: int = 200,
        tls: tuple[str, str] | None = None,
        client_secret: str = "right-secret",
        client_id: str = "00000000-0000-4000-8000-0000000000aa",
    ) -> None:
        self.site_path = site_path
        self.page_size = page_size
        self.client_secret = client_secret
        self.client_id = client_id
        self.items: dict[str, FakeItem] = {}
        self._folders: dict[tuple[str, str], str] = {}  # (parent id, name) -> folder id
        self.seq = 0
        self._ids = 0
        self.requests: list[tuple[str, str]] = []
        self.auth_headers: list[str | None] = []
        self.faults: list[Fault] = []
        self.lock = threading.Lock()
        self._tls = tls
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.items[ROOT_ID] = FakeItem(ROOT_ID, "root", "", True, seq=self._next_seq())

    # ---- the library -------------------------------------------------------------------------

    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def _new_id(self) -> str:
        self._ids += 1
        return f"01FAKE{self._ids:026d}"

    def _folder_for(self, path: str) -> str:
        """The id of the folder at `path` ("A/B"), created if missing."""
        parent = ROOT_ID
        for part in [p for p in path.split("/") if p]:
            found = self.items.get(self._folders.get((parent, part), ""))
            if found is None or found.deleted or found.parent_id != parent or found.name != part:
                found = FakeItem(self._new_id(), part, parent, True, seq=self._next_seq())
                self.items[found.id] = found
                self._folders[(parent, part)] = found.id
            parent = found.id
        return parent

    def add_folder(self, path: str) -> str:
        with self.lock:
            return self._folder_for(path)

    def add_file(self, path: str, content: bytes = b"", *, modified_by: str = "QA Officer") -> str:
        with self.lock:
            folder, _, name = path.rpartition("/")
            parent = self._folder_for(folder)
            item = FakeItem(
                self._new_id(), name, parent, False, content, self._next_seq(), modified_by=modified_by
            )
            self.items[item.id] = item
            return item.id

    def update_file(self, item_id: str, content: bytes) -> None:
        with self.lock:
            it = self.items[item_id]
            it.content, it.seq = content, self._next_seq()
            it.modified = it.modified + timedelta(hours=1)

    def rename(self, item_id: str, new_name: str) -> None:
        with self.lock:
            it = self.items[item_id]
            it.name, it.seq = new_name, self._next_seq()
            if it.folder:
                self._folders[(it.parent_id, new_name)] = it.id

    def move(self, item_id: str, new_parent_path: str) -> None:
        with self.lock:
            it = self.items[item_id]
            it.parent_id, it.seq = self._folder_for(new_parent_path), self._next_seq()
            if it.folder:
                self._folders[(it.parent_id, it.name)] = it.id

    def delete(self, item_id: str) -> None:
        """Deletes the item and, like SharePoint, everything inside it."""
        with self.lock:
            todo = [item_id]
            while todo:
                cur = todo.pop()
                it = self.items[cur]
                it.deleted, it.seq = True, self._next_seq()
                todo += [i.id for i in self.items.values() if i.parent_id == cur and not i.deleted]

    def fail_next(
        self,
        status: int,
        times: int = 1,
        *,
        path_contains: str = "",
        retry_after: int | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        with self.lock:
            self.faults.append(Fault(status, times, path_contains, retry_after, body))

    def count(self, contains: str = "") -> int:
        return sum(1 for _, p in self.requests if contains in p)

    # ---- responses -----------------------------------------------------------------------------

    def item_json(self, it: FakeItem) -> dict[str, Any]:
        parent_ref = {"driveType": "documentLibrary", "driveId": DRIVE_ID}
        if it.id == ROOT_ID:
            out = fixture("delta_item_root.json")
            out["cTag"] = f'"c:{{{it.id}}},{it.seq}"'
            return out
        if it.deleted:
            out = fixture("delta_item_deleted.json")
            out["id"] = it.id
            out["parentReference"] = {**parent_ref, "id": it.parent_id}
            if it.folder:
                out.pop("file", None)
                out["folder"] = {}
            return out
        out = copy.deepcopy(fixture("delta_item_folder.json" if it.folder else "delta_item_file.json"))
        stamp = it.modified.isoformat().replace("+00:00", "Z")
        out.update(
            id=it.id,
            name=it.name,
            eTag=f'"{{{it.id}}},{it.seq}"',
            cTag=f'"c:{{{it.id}}},{it.seq}"',
            lastModifiedDateTime=stamp,
            size=len(it.content) if not it.folder else 0,
            webUrl=f"https://contoso.sharepoint.com/sites/SSCB/Shared%20Documents/{it.id}",
            parentReference={**parent_ref, "id": it.parent_id},
        )
        out["lastModifiedBy"] = {"user": {"displayName": it.modified_by, "email": "someone@contoso.org"}}
        out["fileSystemInfo"] = {"createdDateTime": stamp, "lastModifiedDateTime": stamp}
        if not it.folder:
            ext = "." + it.name.rsplit(".", 1)[-1].lower() if "." in it.name else ""
            out["file"] = {"mimeType": MIME.get(ext, "application/octet-stream")}
            out.pop("@microsoft.graph.downloadUrl", None)
        else:
            out["folder"] = {"childCount": sum(1 for i in self.items.values() if i.parent_id == it.id)}
        return out

    def delta_page(self, since: int, after: int, upto: int) -> dict[str, Any]:
        """Items changed after `since`, continuing after sequence `after`, up to `upto`."""
        with self.lock:
            changed = sorted(
                (i for i in self.items.values() if since < i.seq <= upto and i.seq > after),
                key=lambda i: i.seq,
            )
            # A first sync does not report items that were already deleted.
            if since == 0:
                changed = [i for i in changed if not i.deleted]
            page = changed[: self.page_size]
            body = {"@odata.context": fixture("delta_page.json")["@odata.context"]}
            base = f"{self.base_url}/drives/{DRIVE_ID}/root/delta"
            if len(changed) > self.page_size:
                body["@odata.nextLink"] = f"{base}?token={_token(since, page[-1].seq, upto)}"
            else:
                body["@odata.deltaLink"] = f"{base}?token={_token(upto, -1, -1)}"
            body["value"] = [self.item_json(i) for i in page]  # type: ignore[assignment]
            return body

    # ---- the server ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def origin(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1.0"

    def start(self) -> FakeGraph:
        fake = self

        class Handler(_Handler):
            graph = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if self._tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*self._tls)
            self._server.socket = ctx.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeGraph:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _token(since: int, after: int, upto: int) -> str:
    return base64.urlsafe_b64encode(f"{since}:{after}:{upto}".encode()).decode().rstrip("=")


def _untoken(token: str) -> tuple[int, int, int]:
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    a, b, c = (int(x) for x in raw.split(":"))
    return a, b, c


class _Handler(BaseHTTPRequestHandler):
    graph: FakeGraph
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        raw = b""
        ctype = "application/json"
        if isinstance(body, bytes):
            raw, ctype = body, "application/octet-stream"
        elif body is not None:
            raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def _fault(self, path: str) -> bool:
        g = self.graph
        with g.lock:
            for f in g.faults:
                if f.times > 0 and f.path_contains in path:
                    f.times -= 1
                    break
            else:
                return False
            g.faults = [x for x in g.faults if x.times > 0]
        headers = {"Retry-After": str(f.retry_after)} if f.retry_after is not None else {}
        body = f.body or fixture(
            {429: "error_429.json", 503: "error_503.json", 401: "error_401_invalid_token.json"}.get(
                f.status, "error_503.json"
            )
        )
        self._send(f.status, body, headers)
        return True

    def do_POST(self) -> None:
        g = self.graph
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        path = urlparse(self.path).path
        g.requests.append(("POST", path))
        if not path.endswith("/oauth2/v2.0/token"):
            self._send(404, fixture("error_404_site.json"))
            return
        if form.get("client_id", [""])[0] != g.client_id:
            self._send(400, fixture("token_unknown_client.json"))
        elif form.get("client_secret", [""])[0] == "expired-secret":
            self._send(401, fixture("token_expired_secret.json"))
        elif form.get("client_secret", [""])[0] != g.client_secret:
            self._send(401, fixture("token_invalid_client.json"))
        else:
            self._send(200, fixture("token_ok.json"))

    def do_GET(self) -> None:
        g = self.graph
        url = urlparse(self.path)
        path = unquote(url.path)
        g.requests.append(("GET", self.path))
        g.auth_headers.append(self.headers.get("Authorization"))
        if self._fault(unquote(self.path)):
            return
        if path.startswith("/download/"):
            item = g.items.get(path.split("/")[2])
            if item is None or item.deleted:
                self._send(404, fixture("error_404_site.json"))
            else:
                self._send(200, item.content)
            return
        if not path.startswith("/v1.0/"):
            self._send(404, fixture("error_404_site.json"))
            return
        rest = path[len("/v1.0/") :]
        if rest.startswith("sites/") and rest.endswith("/drives"):
            self._send(200, DRIVES)
        elif rest.startswith("sites/"):
            if rest[len("sites/") :] in (g.site_path, SITE["id"]):
                self._send(200, SITE)
            else:
                self._send(404, fixture("error_404_site.json"))
        elif rest.startswith(f"drives/{DRIVE_ID}/") and "delta" in rest:
            token = parse_qs(url.query).get("token", [None])[0]
            since, after, upto = _untoken(token) if token else (0, 0, -1)
            if upto < 0:  # the start of a sync (no token, or a deltaLink): changes up to now
                after, upto = since, g.seq
            self._send(200, g.delta_page(since, after, upto))
        elif rest.startswith(f"drives/{DRIVE_ID}/items/") and rest.endswith("/content"):
            item_id = rest.split("/")[3]
            item = g.items.get(item_id)
            if item is None or item.deleted:
                self._send(404, fixture("error_404_site.json"))
            else:
                self._send(302, None, {"Location": f"{g.origin}/download/{item_id}?tempauth=x"})
        else:
            self._send(404, fixture("error_404_site.json"))


def make_tls_cert(directory: Path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (the token endpoint must be https: azure-identity
    refuses an http authority). Returns (cert file, key file); the cert file is also the CA."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "fake-entra.crt", directory / "fake-entra.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(cert_file), str(key_file)
