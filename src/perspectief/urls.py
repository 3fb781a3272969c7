from django.urls import include, path

urlpatterns = [
    path("", include("perspectief.core.urls")),
    path("toegang/", include("perspectief.toegang.urls")),
    path("huishoudens/", include("perspectief.huishoudens.urls")),
    path("audit/", include("perspectief.audit.urls")),
    path("check/", include("perspectief.regelingencheck.urls")),
    path("proactief/", include("perspectief.proactief.urls")),
    path("huishoudboekje/", include("perspectief.huishoudboekje.urls")),
    path("mijn-huishoudboekje/", include("perspectief.huishoudboekje.urls_inwoner")),
    path("beleid/", include("perspectief.proactief.urls_beleid")),
    path("beheer/regelingen/", include("perspectief.regelingen.urls")),
    path("api/", include("perspectief.regelingen.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler403 = "perspectief.core.views.forbidden"
handler404 = "perspectief.core.views.not_found"
