from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """A bare view: no database, no template. Load balancers poll it; benchmarks compare against it."""
    return HttpResponse("ok", content_type="text/plain")
