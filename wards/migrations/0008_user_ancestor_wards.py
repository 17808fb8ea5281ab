from django.db import migrations, models


def store_ancestors(apps, schema_editor):
    """Each user's ancestor wards, as `scope.store_ancestors` keeps them from now on."""
    User = apps.get_model("wards", "User")
    WardAncestor = apps.get_model("wards", "WardAncestor")
    by_district, by_ward = {}, {}
    for ward, district, ancestor in WardAncestor.objects.values_list(
        "ward", "ward__district", "ancestor"
    ):
        by_district.setdefault(district, set()).add(ancestor)
        by_ward.setdefault(ward, set()).add(ancestor)
    if not by_ward:
        return
    for user in User.objects.prefetch_related("wards"):
        ids = set(by_district.get(user.district_id, ()))
        for ward in user.wards.all():
            ids |= by_ward.get(ward.pk, set())
        if ids:
            User.objects.filter(pk=user.pk).update(ancestor_wards=sorted(ids))


class Migration(migrations.Migration):
    dependencies = [
        ("wards", "0007_unit_lifespans_and_reorganisations"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="ancestor_wards",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="wards of the past"
            ),
        ),
        migrations.RunPython(store_ancestors, migrations.RunPython.noop, elidable=True),
    ]
