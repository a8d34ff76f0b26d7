from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom.pagecache import RECENT


def count_queries(client, url, **params):
    """
    GET `url` and return the response with the number of SQL queries it ran to render the
    page (the page cache is emptied first, so the page is rendered, not served from it).
    """
    cache.clear()
    RECENT.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(queries)
