"""IP networks named in settings (CIDR lists), and whether an address falls inside them.

Used for the institution's internal networks (안전성 확보조치 기준 제6조, R38) and for the reverse
proxies whose forwarding header is believed (R39: the audit log records the client's own address).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(text: str | Iterable[str], setting: str = "") -> tuple[Network, ...]:
    """'10.0.0.0/8, 127.0.0.1' → networks; a bad entry raises ValueError naming the setting."""
    entries = text.split(",") if isinstance(text, str) else list(text)
    networks: list[Network] = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(
                f"{setting or '네트워크 목록'}: '{entry}'은(는) IP 주소나 CIDR이 아닙니다"
            ) from error
    return tuple(networks)


@lru_cache(maxsize=64)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def parse_address(text: str) -> Address | None:
    """An IP address, or None for anything else (a hostname, garbage, an empty header)."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [::1]:443 as some proxies write it
        text = text[1 : text.index("]")]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def address_in(address: str, networks: Iterable[str]) -> bool:
    """Whether `address` (text) lies in one of `networks` (CIDR texts). Not an address: False."""
    parsed = parse_address(address)
    if parsed is None:
        return False
    return any(parsed in network for network in _networks(tuple(networks)))
