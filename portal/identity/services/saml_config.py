"""eHerkenning's configuration (django-digid-eherkenning keeps it in the database) from files
and settings, so a deployment can set it up from its environment instead of the admin."""

from dataclasses import dataclass

from digid_eherkenning.choices import ConfigTypes
from digid_eherkenning.models import ConfigCertificate, EherkenningConfiguration
from django.core.files.base import ContentFile
from django.db import transaction
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from simple_certmanager.constants import CertificateTypes
from simple_certmanager.models import Certificate

from ..eherkenning import COMPANY_NAME, EIDAS_EUID, EIDAS_LEGAL_NAME, EIDAS_VAT


@dataclass(frozen=True)
class EherkenningSettings:
    certificate_pem: bytes  # the portal's (service provider's) PKIoverheid certificate
    private_key_pem: bytes
    idp_metadata: bytes  # the broker's metadata (herkenningsmakelaar)
    base_url: str  # e.g. https://innovatieloket.example.org
    entity_id: str  # urn:etoegang:DV:<OIN>:entities:<index>
    oin: str
    broker_id: str  # OIN of the broker (herkenningsmakelaar)
    privacy_policy: str
    service_name: str = "Innovatieloket"
    service_description: str = "Innovatiegericht inkopen: oproepen en voorstellen"
    organization_name: str = ""
    organization_url: str = ""
    loa: str = "urn:etoegang:core:assurance-class:loa3"
    service_index: str = "9052"
    eidas_service_index: str = "9053"
    eidas: bool = True
    artifact_resolve_content_type: str = "text/xml"


def eherkenning_configure(settings: EherkenningSettings) -> EherkenningConfiguration:
    """Write the configuration and its certificate; running it again replaces both."""
    parsed = OneLogin_Saml2_IdPMetadataParser.parse(settings.idp_metadata)
    broker_entity_id = parsed.get("idp", {}).get("entityId")
    if not broker_entity_id:
        raise ValueError("The metadata describes no identity provider.")
    with transaction.atomic():
        certificate, _created = Certificate.objects.update_or_create(
            label="eHerkenning (Innovatieloket)", defaults={"type": CertificateTypes.key_pair}
        )
        certificate.public_certificate.save(
            "eherkenning.crt", ContentFile(settings.certificate_pem), save=False
        )
        certificate.private_key.save("eherkenning.key", ContentFile(settings.private_key_pem))
        ConfigCertificate.objects.filter(config_type=ConfigTypes.eherkenning).delete()
        ConfigCertificate.objects.create(
            config_type=ConfigTypes.eherkenning, certificate=certificate
        )
        config = EherkenningConfiguration.get_solo()
        config.idp_metadata_file.save(
            "eherkenning-idp.xml", ContentFile(settings.idp_metadata), save=False
        )
        config.metadata_file_source = ""
        config.idp_service_entity_id = broker_entity_id
        config.base_url = settings.base_url.rstrip("/")
        config.entity_id = settings.entity_id
        config.oin = settings.oin
        config.makelaar_id = settings.broker_id
        config.privacy_policy = settings.privacy_policy
        config.service_name = settings.service_name
        config.service_description = settings.service_description
        config.organization_name = settings.organization_name
        config.organization_url = settings.organization_url
        config.eh_loa = settings.loa
        config.eidas_loa = settings.loa
        config.eh_attribute_consuming_service_index = settings.service_index
        config.eidas_attribute_consuming_service_index = settings.eidas_service_index
        config.no_eidas = not settings.eidas
        config.want_assertions_signed = True
        config.artifact_resolve_content_type = settings.artifact_resolve_content_type
        config.eh_requested_attributes = [{"name": COMPANY_NAME, "required": False}]
        config.eidas_requested_attributes = [
            {"name": EIDAS_LEGAL_NAME, "required": True},
            {"name": EIDAS_EUID, "required": False},
            {"name": EIDAS_VAT, "required": False},
        ]
        config.save()
    return config
