"""Reference data every installation has: the 26 standard domains."""

from .domains import STANDARD_DOMAINS


def ensure_standard_domains(domain_model) -> int:
    """Create the missing standard domains; returns how many were created.

    Takes the model class so the data migration can pass its historical model.
    """
    created = 0
    for order, spec in enumerate(STANDARD_DOMAINS, start=1):
        _, made = domain_model.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "aliases": list(spec.aliases),
                "is_standard": True,
                "sort_order": order,
                "guideline_issuer": spec.issuer,
            },
        )
        created += made
    return created
