from .redirects import answer_old_address


class RedirectFallbackMiddleware:
    """
    Old addresses of stories answer 301 with the story's current address.

    Like django.contrib.redirects, the table is consulted only when the site has nothing
    at the address (a 404), so a redirect never hides a page. One exception: the home page
    with a query string (an earlier site's "/?p=123") is looked up before the page, since
    the home page ignores query strings it doesn't know.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path == "/"
            and request.method in ("GET", "HEAD")
            and request.META.get("QUERY_STRING")
        ):
            response = answer_old_address(request, with_query_only=True)
            if response is not None:
                return response
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return answer_old_address(request) or response
        return response
