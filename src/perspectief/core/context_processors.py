from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    return {"navigatie": items_for(user) if user is not None else []}
