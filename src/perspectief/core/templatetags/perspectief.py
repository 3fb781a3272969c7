"""Template helpers for rendering form widgets with NL Design System classes."""

from django import template

register = template.Library()


@register.filter
def widget_type(bound_field) -> str:
    return bound_field.field.widget.__class__.__name__.lower().replace("widget", "")


@register.filter
def with_attrs(bound_field, css_class: str):
    """Renders the widget with the design-system class and accessible error/help links."""
    attrs = {"class": css_class}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
        attrs["class"] += " utrecht-textbox--invalid utrecht-select--invalid"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)



@register.filter
def current_section(items, path: str) -> str:
    """The URL of the navigation item that `path` falls under: the longest matching prefix.

    The start page only matches itself, so it does not light up for every other page.
    """
    matches = [
        item.url for item in items
        if path == item.url or (item.url not in ("/", "/start/") and path.startswith(item.url))
    ]
    return max(matches, key=len, default="")


@register.filter
def rol_label(value: str) -> str:
    """The readable name of a role code as stored in the audit log ("klantmanager")."""
    from perspectief.toegang.constants import Rol, Soort

    for choices in (Rol, Soort):
        if value in choices.values:
            return str(choices(value).label)
    return value
