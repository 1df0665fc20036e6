from django.db import migrations

# The missions of the Kennis- en Innovatieagenda's 2020–2023 (mission-driven top-sector and
# innovation policy), to which EZK ties its co-financing.
MISSIONS = [
    ("energy", "Energietransitie en duurzaamheid", "Energy transition and sustainability"),
    ("agriculture-water-food", "Landbouw, water en voedsel", "Agriculture, water and food"),
    ("health-care", "Gezondheid en zorg", "Health and care"),
    ("security", "Veiligheid", "Security"),
    ("key-technologies", "Sleuteltechnologieën", "Key technologies"),
]


def add_missions(apps, schema_editor):
    Mission = apps.get_model("calls", "Mission")
    for order, (code, name_nl, name_en) in enumerate(MISSIONS, 1):
        Mission.objects.update_or_create(
            code=code, defaults={"name_nl": name_nl, "name_en": name_en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("calls", "0001_initial")]

    operations = [migrations.RunPython(add_missions, migrations.RunPython.noop)]
