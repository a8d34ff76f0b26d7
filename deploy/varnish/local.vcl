# This site's part of the Varnish configuration (included by newsroom.vcl): where gunicorn
# listens, and who may purge. Copy it next to newsroom.vcl on the edge server and adapt it.

vcl 4.1;

backend newsroom {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    # Sick while the app cannot reach its database (the page answers 503): the edge then
    # serves its stale copies for as long as stale-if-error allows.
    .probe = {
        .url = "/healthz/";
        .interval = 2s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

# The app servers, which purge after every write. App servers elsewhere send the secret of
# NEWSROOM_EDGE_PURGE_TOKEN in X-Purge-Token: to accept it, uncomment the check below with
# the same secret.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub newsroom_may_purge {
    # if (req.http.X-Purge-Token == "the same long random secret") { return; }
    if (client.ip !~ purgers) {
        return (synth(403, "Not allowed to purge."));
    }
}
