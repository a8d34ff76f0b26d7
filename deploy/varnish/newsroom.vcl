# Varnish in front of Newsroom's gunicorn (docs/operations.md, "The edge cache").
#
# - Slow clients talk to Varnish, never to gunicorn: requests are read whole, and responses
#   fetched whole, before a worker of the app is involved or freed.
# - Reader pages are cached by the same rules as the app's page cache (newsroom/pagecache.py):
#   never a POST, the admin, a preview, comment posts and their form token, a request carrying
#   the session or messages cookie (staff, a reader's own held comments), a response that sets
#   a cookie or says private / no-store. Other cookies (the CSRF cookie, analytics) are not
#   sent to the app for the pages it shares: it would not read them.
# - The app's Cache-Control decides how long a page is kept (max-age), served stale while it
#   is fetched again (stale-while-revalidate) and served stale while the app answers errors
#   or its health check fails (stale-if-error).
# - Pages are tagged with the keys the app names in `xkey`, and `PURGE` with the keys in
#   `xkey-purge` removes every page tagged with any of them: the app sends it after each
#   write (newsroom/edge.py). Only purgers may purge (local.vcl).
#
# The site's own part, the backend and who may purge, is in local.vcl, found on vcl_path:
# deploy/varnish/local.vcl is the example; `make serve-edge` writes its own.

vcl 4.1;

import std;
import xkey;

include "local.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        call newsroom_may_purge;
        if (!req.http.xkey-purge) {
            return (synth(400, "No keys to purge: send them in xkey-purge."));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    # Bodies over the app's limits are refused before they are read: NEWSROOM_MAX_BODY_KB
    # (256 KB), and in the admin a photo (NEWSROOM_IMAGE_MAX_UPLOAD_MB, 20 MB) on top. Keep
    # these in step with the app's settings.
    if (std.integer(req.http.Content-Length, 0) > 262144 && req.url !~ "^/admin/") {
        return (synth(413, "Request body too large."));
    }
    if (std.integer(req.http.Content-Length, 0) > 21233664) {
        return (synth(413, "Request body too large."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|comments|preview)/" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    unset req.http.Cookie;
    # While the app is healthy, a page past its max-age is served as it is fetched again for
    # 30 s at most (the app's stale-while-revalidate, NEWSROOM_HTTP_STALE_WHILE_REVALIDATE);
    # while it is not, for as long as its stale-if-error allows.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_backend_response {
    # An error while a stale copy is being refreshed: keep serving the copy.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-if-error=([0-9]+).*", "\1s"), 0s);
    }
    # The rest is Varnish's own: no Set-Cookie, private or no-store is ever kept.
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
    unset resp.http.xkey;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

sub vcl_synth {
    # A refused body is not read to keep the connection open: the connection is closed.
    if (resp.status == 413) {
        set resp.http.Connection = "close";
    }
}
