from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, **params):
    """GET `url` and return the response with the number of SQL queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(queries)
