"""The SAML endpoints under the namespace django-digid-eherkenning expects (``eherkenning``):
its client builds the assertion consumer service's address with ``eherkenning:acs``."""

from digid_eherkenning.models import EherkenningConfiguration
from digid_eherkenning.saml2.eherkenning import (
    generate_dienst_catalogus_metadata,
    generate_eherkenning_metadata,
)
from digid_eherkenning.views.metadata import MetadataView
from django.urls import path

from .views.eherkenning import EherkenningAcsView, EherkenningLoginView

app_name = "eherkenning"

urlpatterns = [
    path("login/", EherkenningLoginView.as_view(), name="login"),
    path("acs/", EherkenningAcsView.as_view(), name="acs"),
    # For the broker: our service provider metadata and the service catalogue.
    path(
        "metadata/",
        MetadataView.as_view(
            config_model=EherkenningConfiguration,
            metadata_generator=generate_eherkenning_metadata,
            filename="eh-metadata.xml",
        ),
        name="metadata",
    ),
    path(
        "metadata/dienstcatalogus/",
        MetadataView.as_view(
            config_model=EherkenningConfiguration,
            metadata_generator=generate_dienst_catalogus_metadata,
            filename="dienstcatalogus.xml",
        ),
        name="dienstcatalogus",
    ),
]
