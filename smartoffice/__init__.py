"""SmartOffice Nusantara: desk and room booking with policy-driven office days for ASN in IKN."""

__version__ = "0.1.0"
