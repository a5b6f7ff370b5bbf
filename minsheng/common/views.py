from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the site's icon (a static file)."""
    return redirect(static("minsheng/favicon.svg"), permanent=True)


@require_GET
def healthz(request):
    """A bare view: no database, no template. Load balancers poll it; benchmarks compare against it."""
    return HttpResponse("ok", content_type="text/plain")
