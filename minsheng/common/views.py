from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """A bare view: no database, no template. Load balancers poll it; benchmarks compare against it."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def home(request):
    """The home page of the visitor's role (the public home for anonymous visitors)."""
    from minsheng.accounts.homes import home_context

    template, context = home_context(request)
    return render(request, template, context)
