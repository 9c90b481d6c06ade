"""The ceiling: the fastest a Django page can be served by the bench's gunicorn settings.

One view returns about 10 KB of fixed HTML, with no middleware, database or templates, so
its req/s is what this machine, gunicorn and Django's request cycle allow at most. Served as
``gunicorn bench.ceiling:application`` next to the site; each page is reported as a ratio.
"""

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-ceiling",  # noqa: S106  (a local benchmark app, never deployed)
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
    )

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path


def _page() -> bytes:
    cards = "".join(
        f'<li class="card"><a href="/shop/catalogue/product-{n}_{n}/">'
        f'<img src="/media/cache/{n:02x}/thumb.jpg" alt="商品{n}" width="200" height="200">'
        f"<h3>淮北塔山石榴 5kg/箱 第{n}号</h3></a>"
        f'<p class="price">¥{n + 19}.90</p><p class="origin">濉溪县段园镇</p></li>\n'
        for n in range(40)
    )
    html = (
        '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8">'
        "<title>惠农集市 · ceiling</title></head><body><main><ul>\n"
        f"{cards}</ul></main></body></html>\n"
    )
    return html.encode()


PAGE = _page()


def ceiling(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", ceiling)]
application = get_wsgi_application()
