from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.MINSHENG["SITE_NAME"]}
