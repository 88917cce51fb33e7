"""The demo dataset: one Kemenko complex in the core government zone (KIPP) of Nusantara, shared by two ministries.

Everything comes from one ``random.Random(seed)``, so a seed always gives the same rows:

* site KIPP Nusantara; towers T1-T4 of 6 floors each (64 x 32 m plans, WITA, open 07:00-19:00);
* on every floor 1-3 meeting rooms along the north wall, and 25-90 desks (1,300 in all) in benches of facing
  desks, split into 2-5 zones; each zone is the home of one Eselon II unit. Every unit has desks in proportion to
  its staff, so every tower holds about as many people per desk as the site (1.23); the units follow one another
  in tree order (a Deputi's directorates on neighbouring floors, a tower mostly one ministry's) and every floor
  also hosts the other ministry's Sekretariat bureaus: the "sharing office" of the Kemenko towers (see
  :func:`_deal_zones`). Bappenas' directorates, all anchored on Wednesday, fill Menara 1 and 2, which overflow
  on Wednesdays although the site as a whole has the seats: the case for the anchor-day planner;
* Kementerian PPN/Bappenas and Kemenko PMK, 800 staff each, in a unit tree: Eselon I (Sekretariat, Deputi), Eselon
  II (Direktorat, Biro, Pusat, Asisten Deputi), and in some units teams (Tim Kerja) led by a senior functional
  official, as after the 2019-2021 delayering;
* synthetic people (names, emails, NIPs: no real person): mostly functional officials, ~15 % PPPK, and ~12 %
  placed in their post less than 180 days before :data:`DEMO_AS_OF`, so that tenure rules have cases; each housed
  in the building of their unit's zones (``home_building_id``);
* given ``today`` (the CLI passes the clock's date), the activity of the 8 weeks before it and the 2 weeks after
  (:mod:`smartoffice.activity`): desk bookings that follow each person's policies and anchor days, check-ins,
  no-shows, cancellations, meetings, leave and remote plans. There are more people than desks on purpose: peak
  days run short of seats.

:func:`generate_demo` builds plain rows (pure and deterministic); :func:`seed_demo` bulk-inserts them once.

The same generator builds the larger scale tiers of ``smartoffice bench`` (:data:`TIERS`): tier S *is* this demo;
M and L add towers, floors, larger open-plan floors and more ministries (copies of the two unit trees under
synthetic K/L codes), drawn the same way.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import accumulate, pairwise
from string import ascii_uppercase
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.activity import seed_activity
from smartoffice.bookings.models import Booking
from smartoffice.db import Base, Database
from smartoffice.people.models import Employee, EmploymentType, Organisation, OrgUnit, PositionKind
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone
from smartoffice.policies.demo import seed_policies
from smartoffice.policies.models import WorkDay

DEMO_AS_OF = date(2026, 11, 22)
"""The day the dataset describes: placement dates are drawn relative to it, never to the clock (the activity is
drawn around the ``today`` :func:`seed_demo` is given)."""
DEMO_TIME_ZONE = "Asia/Makassar"
"""WITA, the towers' zone: the CLI's ``today`` is the clock's date here."""

TOWERS, FLOORS_PER_TOWER = 4, 6
FLOOR_WIDTH, FLOOR_HEIGHT = 64.0, 32.0
MIN_DESKS, MAX_DESKS, TOTAL_DESKS = 25, 90, 1_300
STAFF_PER_MINISTRY = 800
DESK_WIDTH, DESK_DEPTH = 1.6, 0.8
DESK_AMENITY_ODDS = {"monitor": 0.85, "docking": 0.35, "standing": 0.08, "accessible": 0.05, "quiet": 0.1}
ROOM_DEPTH = 6.0
DESK_AREA_TOP, DESK_AREA_BOTTOM, DESK_AREA_SIDE = 7.0, 31.5, 0.5
BENCH_PITCH, BENCH_MARGIN, DESKS_PER_CLUSTER, CLUSTER_GAP, ZONE_MARGIN = 3.0, 1.0, 4, 1.2, 0.6
"""A bench is two facing rows of desks (1.6 m deep) plus a 1.4 m aisle; clusters of four desks, then a gap."""
MIN_ZONE_DESKS = 4
"""A unit's share of a floor smaller than one cluster of desks goes to its neighbour's zone instead."""

Row = dict[str, Any]
"""Column values of one row. Until inserted, a foreign key holds the index of the parent row in its own list."""


class Ministry(NamedTuple):
    code: str
    name: str
    email_domain: str
    main_post: str
    functional_share: float
    units: tuple[tuple[str, str, tuple[str, ...]], ...]
    """(Eselon I code, Eselon I name, names of its Eselon II units)."""


MINISTRIES = (
    Ministry("BAPPENAS", "Kementerian PPN/Bappenas", "bappenas.go.id", "Perencana", 0.75, (
        ("SES", "Sekretariat Kementerian PPN/Sekretariat Utama Bappenas", (
            "Biro Sumber Daya Manusia", "Biro Umum", "Biro Hukum", "Pusat Data dan Informasi Perencanaan Pembangunan",
        )),
        ("D1", "Deputi Bidang Ekonomi", (
            "Direktorat Perencanaan Makro dan Analisis Statistik", "Direktorat Industri dan Pariwisata",
            "Direktorat Keuangan Negara", "Direktorat Perdagangan dan Investasi",
        )),
        ("D2", "Deputi Bidang Pembangunan Manusia, Masyarakat dan Kebudayaan", (
            "Direktorat Kesehatan dan Gizi Masyarakat", "Direktorat Pendidikan Tinggi dan Iptek",
            "Direktorat Agama dan Kebudayaan", "Direktorat Keluarga, Perempuan, Anak dan Pemuda",
            "Direktorat Penanggulangan Kemiskinan",
        )),
        ("D3", "Deputi Bidang Sarana dan Prasarana", (
            "Direktorat Transportasi", "Direktorat Sumber Daya Air", "Direktorat Energi dan Telekomunikasi",
        )),
        ("D4", "Deputi Bidang Pengembangan Regional", (
            "Direktorat Regional I", "Direktorat Regional II", "Direktorat Tata Ruang dan Penanganan Bencana",
            "Direktorat Otonomi Daerah",
        )),
        ("D5", "Deputi Bidang Pemantauan, Evaluasi dan Pengendalian Pembangunan", (
            "Direktorat Pemantauan dan Evaluasi Kinerja", "Direktorat Sistem dan Pelaporan Pemantauan",
            "Direktorat Pengendalian Pembangunan",
        )),
    )),
    Ministry(
        "KEMENKOPMK", "Kementerian Koordinator Bidang Pembangunan Manusia dan Kebudayaan", "kemenkopmk.go.id",
        "Analis Kebijakan", 0.6, (
            ("SES", "Sekretariat Kementerian", (
                "Biro Perencanaan dan Kerja Sama", "Biro Hukum dan Persidangan", "Biro Umum dan Sumber Daya Manusia",
                "Biro Komunikasi dan Informasi Publik",
            )),
            ("D1", "Deputi Bidang Peningkatan Kualitas Kesehatan dan Pembangunan Kependudukan", (
                "Asisten Deputi Kesehatan Masyarakat", "Asisten Deputi Pembangunan Kependudukan",
                "Asisten Deputi Ketahanan Gizi",
            )),
            ("D2", "Deputi Bidang Peningkatan Kualitas Pendidikan dan Moderasi Beragama", (
                "Asisten Deputi Pendidikan Dasar", "Asisten Deputi Pendidikan Tinggi",
                "Asisten Deputi Moderasi Beragama", "Asisten Deputi Pendidikan Vokasi",
            )),
            ("D3", "Deputi Bidang Penanggulangan Bencana dan Konflik Sosial", (
                "Asisten Deputi Kedaruratan dan Rehabilitasi", "Asisten Deputi Penanganan Konflik Sosial",
                "Asisten Deputi Mitigasi Bencana",
            )),
            ("D4", "Deputi Bidang Kebudayaan dan Pemberdayaan Masyarakat", (
                "Asisten Deputi Pelestarian Kebudayaan", "Asisten Deputi Pemberdayaan Desa",
                "Asisten Deputi Pemuda dan Olahraga", "Asisten Deputi Pemberdayaan Perempuan",
            )),
        ),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Tier:
    """The size of a generated dataset. Tier S is the demo; the benchmark's M and L are bigger campuses."""

    name: str
    towers: int = TOWERS
    floors_per_tower: int = FLOORS_PER_TOWER
    min_desks: int = MIN_DESKS
    max_desks: int = MAX_DESKS
    """Per floor; a 64 x 32 m plan holds up to ~250 desks in benches."""
    total_desks: int = TOTAL_DESKS
    ministries: int = len(MINISTRIES)
    staff_per_ministry: int = STAFF_PER_MINISTRY

    @property
    def floors(self) -> int:
        return self.towers * self.floors_per_tower

    @property
    def staff(self) -> int:
        return self.ministries * self.staff_per_ministry


TIERS = {
    "S": Tier("S"),
    "M": Tier("M", towers=15, floors_per_tower=8, max_desks=160, total_desks=9_500, ministries=15),
    "L": Tier("L", towers=50, floors_per_tower=12, max_desks=250, total_desks=60_000, ministries=125),
}
"""S: one Kemenko complex (~1,300 desks, 1,600 staff); M: 15 towers (~9,500 desks, 12,000 staff); L: the whole
capital (~60,000 desks, 100,000 staff; ``smartoffice bench`` adds a year of bookings)."""


def ministries(count: int) -> tuple[Ministry, ...]:
    """The two real ministries, then synthetic K/L (kementerian/lembaga) reusing their unit trees in turn."""
    extra = (
        Ministry(f"KL{n:03d}", f"Kementerian/Lembaga Sintetis {n:03d}", f"kl{n:03d}.go.id", *MINISTRIES[n % 2][3:])
        for n in range(len(MINISTRIES) + 1, count + 1)
    )
    return (*MINISTRIES, *extra)[:count]


UNIT_CODE_PREFIXES = {"Direktorat": "DIR", "Biro": "BIRO", "Pusat": "PUS", "Asisten": "ASDEP"}
TEAM_TOPICS = ("Perencanaan dan Anggaran", "Pemantauan dan Evaluasi", "Analisis Kebijakan", "Data dan Informasi")
OTHER_FUNCTIONAL_POSTS = ("Analis Sumber Daya Manusia Aparatur", "Pranata Komputer", "Arsiparis", "Analis Anggaran")
FUNCTIONAL_GRADES = {"Ahli Pertama": (1990, 2000), "Ahli Muda": (1980, 1993), "Ahli Madya": (1968, 1985)}
EXECUTOR_POSTS = ("Pengadministrasi Perkantoran", "Penata Layanan Operasional", "Pengelola Umum Operasional")


class Post(NamedTuple):
    kind: PositionKind
    level: str
    born: tuple[int, int]
    """The range of plausible birth years for someone in this post."""


ESELON_I_HEAD = Post(PositionKind.MANAGERIAL, "Pimpinan Tinggi Madya", (1966, 1974))
ESELON_II_HEAD = Post(PositionKind.MANAGERIAL, "Pimpinan Tinggi Pratama", (1968, 1982))

MALE_NAMES = (
    "Agus", "Ahmad", "Andi", "Arif", "Bayu", "Budi", "Dedi", "Dimas", "Eko", "Fajar", "Fikri", "Gilang", "Hadi",
    "Hendra", "Ilham", "Irfan", "Joko", "Made", "Muhammad", "Putu", "Rahmat", "Rizky", "Rudi", "Taufik", "Teguh",
    "Wahyu", "Yohanes", "Yusuf", "Stefanus", "Reza", "Bambang", "Danang", "Iwan", "Lukman",
)  # fmt: skip
FEMALE_NAMES = (
    "Anisa", "Ayu", "Dewi", "Dian", "Fitri", "Indah", "Intan", "Kartika", "Lestari", "Maria", "Melati", "Nadia",
    "Novita", "Nur", "Putri", "Ratih", "Ratna", "Rina", "Siti", "Sri", "Wulan", "Yuni", "Annisa", "Citra", "Endah",
    "Febri", "Hana", "Laras", "Mega", "Nurul", "Rahmi", "Santi", "Tiara", "Vivi", "Yulia",
)  # fmt: skip
FAMILY_NAMES = (
    "Santoso", "Wijaya", "Pratama", "Saputra", "Hidayat", "Nugroho", "Kurniawan", "Setiawan", "Siregar", "Nasution",
    "Harahap", "Lubis", "Simanjuntak", "Sinaga", "Manurung", "Tambunan", "Tanjung", "Rahman", "Hakim", "Wibowo",
    "Susanto", "Hartono", "Purnomo", "Prasetyo", "Rahayu", "Handayani", "Wulandari", "Permatasari", "Sari",
    "Anshari", "Effendi", "Noor", "Rusdi", "Hasibuan", "Situmorang", "Pardede", "Latuconsina", "Mandagi",
    "Sembiring", "Ginting", "Tarigan", "Lumbantobing", "Sitompul", "Marpaung", "Daulay", "Matondang", "Batubara",
    "Pohan", "Sihombing",
)  # fmt: skip
ROOM_NAMES = (
    "Mahakam", "Kapuas", "Barito", "Kahayan", "Kayan", "Sesayap", "Berau", "Kelai", "Segah", "Melawi", "Katingan",
    "Seruyan", "Mentaya", "Sembakung", "Sebuku",
)  # fmt: skip


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the database holds."""

    sites: int
    buildings: int
    floors: int
    desks: int
    rooms: int
    organisations: int
    org_units: int
    employees: int
    desk_bookings: int = 0
    room_bookings: int = 0
    work_days: int = 0


@dataclass(frozen=True)
class DemoData:
    """Plain rows in insertion order (see :data:`Row` for foreign keys)."""

    site: Row
    buildings: list[Row]
    floors: list[Row]
    zones: list[Row]
    spaces: list[Row]
    organisations: list[Row]
    org_units: list[Row]
    employees: list[Row]


def generate_demo(seed: int = 2026, tier: Tier = TIERS["S"]) -> DemoData:
    rng = random.Random(seed)
    org_units: list[Row] = []
    nip_serials: Counter[str] = Counter()
    employees: list[Row] = []
    eselon_ii_by_ministry = []
    kls = ministries(tier.ministries)
    for org, ministry in enumerate(kls):
        people = _People(rng, ministry, nip_serials, employees)
        eselon_ii_by_ministry.append(_add_ministry(rng, people, org_units, org, ministry, tier.staff_per_ministry))
    staff: Counter[int] = Counter()  # people per Eselon II unit, its teams' included
    for employee in employees:
        unit = employee["org_unit_id"]
        while org_units[unit]["level"] > 2:
            unit = org_units[unit]["parent_id"]
        staff[unit] += 1
    buildings, floors, zones, spaces = _plan_towers(rng, eselon_ii_by_ministry, org_units, staff, tier)
    for employee, building in zip(employees, _house(org_units, employees, floors, zones, spaces), strict=True):
        employee["home_building_id"] = building
    organisations = [{"code": m.code, "name": m.name} for m in kls]
    site = {"code": "KIPP", "name": "KIPP Nusantara"}
    return DemoData(site, buildings, floors, zones, spaces, organisations, org_units, employees)


class _People:
    """Adds synthetic employees of one ministry to ``rows``, with NIPs unique across ministries."""

    def __init__(self, rng: random.Random, ministry: Ministry, nip_serials: Counter[str], rows: list[Row]) -> None:
        self.rng, self.ministry, self.nip_serials, self.rows = rng, ministry, nip_serials, rows
        self.emails: Counter[str] = Counter()

    def add(self, unit: int, post: Post, supervisor: int | None, is_pppk: bool = False) -> int:
        rng = self.rng
        gender = rng.choice("12")
        birth = date(rng.randint(*post.born), 1, 1) + timedelta(days=rng.randrange(365))
        if is_pppk:
            appointed = date(rng.randint(max(2021, birth.year + 22), 2025), rng.randint(1, 12), 1)
            prefix = f"{birth:%Y%m%d}{appointed.year}21{gender}"  # NI PPPK: year, then the PPPK code 21
        else:
            appointed = date(rng.randint(birth.year + 22, min(birth.year + 35, 2024)), rng.randint(1, 12), 1)
            prefix = f"{birth:%Y%m%d}{appointed:%Y%m}{gender}"
        self.nip_serials[prefix] += 1
        given = rng.choice(MALE_NAMES if gender == "1" else FEMALE_NAMES)
        family = rng.choice(FAMILY_NAMES)
        handle = f"{given}.{family}".lower()
        self.emails[handle] += 1
        nip = f"{prefix}{self.nip_serials[prefix]:03d}"
        self.rows.append(
            {
                "nip": nip,
                "name": f"{given} {family}",
                "email": f"{handle}.{self.emails[handle]}@{self.ministry.email_domain}",
                "org_unit_id": unit,
                "position_kind": post.kind,
                "position_level": post.level,
                "employment_type": EmploymentType.PPPK if is_pppk else EmploymentType.PNS,
                "supervisor_id": supervisor,
                "placed_on": self._placed_on(appointed),
                # The registered home's reference in the HR system (a WFH day's place), not an address.
                "home_address_ref": f"ALAMAT-{nip}",
            }
        )
        return len(self.rows) - 1

    def add_staff(self, unit: int, supervisor: int) -> None:
        rng = self.rng
        if rng.random() < self.ministry.functional_share:
            name = self.ministry.main_post if rng.random() < 0.7 else rng.choice(OTHER_FUNCTIONAL_POSTS)
            grade = rng.choices(list(FUNCTIONAL_GRADES), weights=(35, 40, 25))[0]
            post = Post(PositionKind.FUNCTIONAL, f"{name} {grade}", FUNCTIONAL_GRADES[grade])
        else:
            post = Post(PositionKind.EXECUTOR, rng.choice(EXECUTOR_POSTS), (1970, 2000))
        self.add(unit, post, supervisor, is_pppk=rng.random() < 0.16)

    def _placed_on(self, appointed: date) -> date:
        latest = DEMO_AS_OF - timedelta(days=1)
        if self.rng.random() < 0.12:  # new in post: inside the 180-day tenure window
            earliest = max(appointed, DEMO_AS_OF - timedelta(days=179))
        else:
            earliest, latest = max(appointed, date(2019, 1, 1)), DEMO_AS_OF - timedelta(days=180)
        return earliest + timedelta(days=self.rng.randint(0, (latest - earliest).days))


def _add_ministry(
    rng: random.Random, people: _People, units: list[Row], org: int, ministry: Ministry, staff: int
) -> list[int]:
    """Adds the unit tree and its people; returns the indexes of the Eselon II units."""

    def add_unit(code: str, name: str, level: int, parent: int | None) -> int:
        units.append({"organisation_id": org, "parent_id": parent, "code": code, "name": name, "level": level})
        return len(units) - 1

    eselon_ii_count = sum(len(children) for _, _, children in ministry.units)
    heads = len(ministry.units) + eselon_ii_count
    staff_counts = iter(_apportion(staff - heads, [rng.uniform(0.6, 1.4) for _ in range(eselon_ii_count)]))
    team_lead = Post(PositionKind.FUNCTIONAL, f"{ministry.main_post} Ahli Madya", (1970, 1986))
    eselon_ii: list[int] = []
    for eselon_i_code, eselon_i_name, children in ministry.units:
        parent_code = f"{ministry.code}.{eselon_i_code}"
        parent = add_unit(parent_code, eselon_i_name, 1, None)
        top = people.add(parent, ESELON_I_HEAD, None)
        seen: Counter[str] = Counter()
        for name in children:
            prefix = UNIT_CODE_PREFIXES[name.split()[0]]
            seen[prefix] += 1
            unit_code = f"{parent_code}.{prefix}{seen[prefix]}"
            unit = add_unit(unit_code, name, 2, parent)
            eselon_ii.append(unit)
            head = people.add(unit, ESELON_II_HEAD, top)
            teams = []
            for number, topic in enumerate(rng.sample(TEAM_TOPICS, rng.choice((0, 1, 2, 2, 3))), start=1):
                team = add_unit(f"{unit_code}.TIM{number}", f"Tim Kerja {topic}", 3, unit)
                teams.append((team, people.add(team, team_lead, head)))
            for _ in range(next(staff_counts) - len(teams)):
                home, boss = rng.choice(teams) if teams and rng.random() < 0.7 else (unit, head)
                people.add_staff(home, boss)
    return eselon_ii


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Splits ``total`` in proportion to ``weights`` (largest remainders), so the parts sum exactly to it."""
    shares = [total * w / sum(weights) for w in weights]
    parts = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: parts[i] - shares[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _desks_per_floor(rng: random.Random, tier: Tier) -> list[int]:
    floors = tier.floors
    counts = [rng.randint(tier.min_desks, tier.max_desks) for _ in range(floors)]
    while (gap := tier.total_desks - sum(counts)) != 0:
        i, step = rng.randrange(floors), (1 if gap > 0 else -1)
        if tier.min_desks <= counts[i] + step <= tier.max_desks:
            counts[i] += step
    return counts


def _plan_towers(
    rng: random.Random, eselon_ii_by_ministry: list[list[int]], units: list[Row], staff: Counter[int], tier: Tier
) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    buildings: list[Row] = []
    floors: list[Row] = []
    zones: list[Row] = []
    spaces: list[Row] = []
    desk_counts = _desks_per_floor(rng, tier)
    zones_per_floor = iter(_deal_zones(desk_counts, eselon_ii_by_ministry, units, staff))
    hours = {"time_zone": DEMO_TIME_ZONE, "opens_at": time(7), "closes_at": time(19)}
    for tower in range(1, tier.towers + 1):
        buildings.append({"site_id": 0, "code": f"T{tower}", "name": f"Menara {tower} Kompleks Kemenko", **hours})
        for level in range(1, tier.floors_per_tower + 1):
            floor, label = len(floors), f"T{tower}-{level}"
            size = {"width": FLOOR_WIDTH, "height": FLOOR_HEIGHT}
            floors.append({"building_id": tower - 1, "level": level, "name": f"Lantai {level}", **size})
            spaces += _rooms(rng, floor, label)
            owners = next(zones_per_floor)
            x = DESK_AREA_SIDE
            widths = _zone_widths([d for _, d in owners])
            if len(owners) > len(ascii_uppercase):
                raise ValueError(f"floor {label} has more zones than letters")
            for letter, (owner, desk_count), zone_width in zip(ascii_uppercase, owners, widths, strict=False):
                zone_label = f"{label}-{letter}"
                zones.append(
                    {"floor_id": floor, "code": zone_label, "name": f"Zona {letter} {units[owner]['name']}",
                     "org_unit_id": owner, **_box(x, DESK_AREA_TOP, zone_width, DESK_AREA_BOTTOM - DESK_AREA_TOP)}
                )  # fmt: skip
                spaces += _desks(rng, floor, len(zones) - 1, zone_label, x, zone_width, desk_count)
                x = round(x + zone_width, 2)
    return buildings, floors, zones, spaces


def _deal_zones(
    desk_counts: list[int], eselon_ii_by_ministry: list[list[int]], units: list[Row], staff: Counter[int]
) -> list[list[tuple[int, int]]]:
    """Each floor's zones, west to east, as (Eselon II unit, desks), floors in order (tower by tower).

    Every unit gets desks in proportion to its staff (the site's desks per person), so that every tower holds as
    many people per desk as the site. Each ministry's Sekretariat (its first Eselon I unit) is a *guest*: its
    bureaus keep zones on the floors of the next ministry's units (the last ministry's units host the first one's), so
    every floor is shared; the other units follow one another in tree order, so a Deputi's directorates sit on
    neighbouring floors and a tower is mostly one ministry's. Both streams are laid out floor by floor, each
    floor giving the guests the share of its desks that the ministry's block (its units and its guests) gives
    them; a unit spans floors (and at a tower's end, towers) only where the stream runs on. A sliver of fewer
    than :data:`MIN_ZONE_DESKS` desks goes to the neighbouring zone on its floor instead.
    """
    all_units = [unit for ministry in eselon_ii_by_ministry for unit in ministry]
    need = dict(zip(all_units, _apportion(sum(desk_counts), [staff[u] for u in all_units]), strict=True))
    guests, hosts = [], []
    for ministry in eselon_ii_by_ministry:
        sekretariat = units[ministry[0]]["parent_id"]
        guests.append([u for u in ministry if units[u]["parent_id"] == sekretariat])
        hosts.append([u for u in ministry if units[u]["parent_id"] != sekretariat])
    count = len(eselon_ii_by_ministry)
    guests = guests[1:] + guests[:1]  # block m: ministry m's units and the next ministry's Sekretariat
    blocks = [(sum(need[u] for u in h), sum(need[u] for u in g)) for h, g in zip(hosts, guests, strict=True)]

    def guest_desks_before(position: int) -> int:
        """How many of the first ``position`` desks of the site (floor by floor) are the guests'."""
        start = guests_so_far = 0
        for block in range(count):
            host_desks, guest_desks = blocks[block]
            size = host_desks + guest_desks
            if position < start + size or block == count - 1:
                return guests_so_far + round((position - start) * guest_desks / size)
            start, guests_so_far = start + size, guests_so_far + guest_desks
        return guests_so_far

    edges = [0, *accumulate(desk_counts)]
    guest_edges = [guest_desks_before(position) for position in edges]
    guest_parts = [b - a for a, b in pairwise(guest_edges)]
    host_parts = [total - guest for total, guest in zip(desk_counts, guest_parts, strict=True)]
    host_zones = _cut([u for h in hosts for u in h], need, host_parts)
    guest_zones = _cut([u for g in guests for u in g], need, guest_parts)
    return [_merge_slivers(h) + _merge_slivers(g) for h, g in zip(host_zones, guest_zones, strict=True)]


def _cut(stream: list[int], need: dict[int, int], parts: list[int]) -> list[list[tuple[int, int]]]:
    """Lays ``stream``'s units (each ``need[unit]`` desks long) end to end over consecutive ``parts`` of desks."""
    pieces: list[list[tuple[int, int]]] = []
    units = iter(stream)
    unit, left = -1, 0
    for part in parts:
        floor: list[tuple[int, int]] = []
        while part > 0:
            if left == 0:
                unit = next(units)
                left = need[unit]
                continue
            take = min(part, left)
            floor.append((unit, take))
            part, left = part - take, left - take
        pieces.append(floor)
    return pieces


def _merge_slivers(zones: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The zones with each sliver (fewer than :data:`MIN_ZONE_DESKS` desks) given to its neighbour."""
    zones = list(zones)
    while len(zones) > 1 and (i := next((i for i, (_, d) in enumerate(zones) if d < MIN_ZONE_DESKS), None)) is not None:
        j = i + 1 if i == 0 else i - 1
        unit, desks = zones[j]
        zones[j] = (unit, desks + zones[i][1])
        del zones[i]
    return zones


def _zone_widths(desk_counts: list[int]) -> list[float]:
    """The zones' widths across the desk area, to the centimetre (so that desks do too): what each zone's benches
    need, plus the rest in proportion to the desks."""
    rows = 2 * int((DESK_AREA_BOTTOM - DESK_AREA_TOP - 2 * BENCH_MARGIN) // BENCH_PITCH)
    needs = []
    for count in desk_counts:
        columns = max(1, -(-count // rows))
        needs.append(2 * ZONE_MARGIN + columns * DESK_WIDTH + (columns - 1) // DESKS_PER_CLUSTER * CLUSTER_GAP + 0.01)
    spare = FLOOR_WIDTH - 2 * DESK_AREA_SIDE - sum(needs)
    if spare < 0:
        raise ValueError(f"a floor of {sum(desk_counts)} desks in {len(desk_counts)} zones does not fit")
    total = sum(desk_counts)
    return [int((need + spare * count / total) * 100) / 100 for need, count in zip(needs, desk_counts, strict=True)]


def _rooms(rng: random.Random, floor: int, label: str) -> list[Row]:
    """1-3 meeting rooms side by side along the north wall."""
    rooms, x = [], 1.0
    for number, river in enumerate(rng.sample(ROOM_NAMES, rng.randint(1, 3)), start=1):
        capacity = rng.choice((4, 6, 8, 10, 12, 16, 20))
        width = round(3.0 + capacity * 0.45, 1)
        odds = {"video_conference": 0.3 + capacity / 25, "whiteboard": 0.8}
        rooms.append(
            {"floor_id": floor, "zone_id": None, "kind": SpaceKind.ROOM, "code": f"{label}-R{number}",
             "name": f"Ruang Rapat {river}", "rotation": 0.0, "amenities": _draw(rng, odds), "capacity": capacity,
             **_box(x, 0.0, width, ROOM_DEPTH)}
        )  # fmt: skip
        x += width + 0.2
    return rooms


def _desks(
    rng: random.Random, floor: int, zone: int, label: str, zone_x: float, zone_width: float, count: int
) -> list[Row]:
    """Benches of two facing rows (rotation 0 and 180), clusters of four side by side, filled bench by bench."""
    columns: list[float] = []
    while True:
        n = len(columns)
        x = zone_x + ZONE_MARGIN + n * DESK_WIDTH + (n // DESKS_PER_CLUSTER) * CLUSTER_GAP
        if x + DESK_WIDTH > zone_x + zone_width - ZONE_MARGIN:
            break
        columns.append(x)
    benches = int((DESK_AREA_BOTTOM - DESK_AREA_TOP - 2 * BENCH_MARGIN) // BENCH_PITCH)
    places = [
        (x, DESK_AREA_TOP + BENCH_MARGIN + bench * BENCH_PITCH + offset, rotation)
        for bench in range(benches)
        for x in columns
        for offset, rotation in ((0.0, 0.0), (DESK_DEPTH, 180.0))
    ]
    if count > len(places):
        raise ValueError(f"zone {label} holds {len(places)} desks, not {count}")
    return [
        {"floor_id": floor, "zone_id": zone, "kind": SpaceKind.DESK, "code": f"{label}{number}", "name": None,
         "rotation": rotation, "amenities": _draw(rng, DESK_AMENITY_ODDS), "capacity": 1,
         **_box(x, y, DESK_WIDTH, DESK_DEPTH)}
        for number, (x, y, rotation) in enumerate(places[:count], start=1)
    ]  # fmt: skip


def _house(
    units: list[Row], employees: list[Row], floors: list[Row], zones: list[Row], spaces: list[Row]
) -> list[int | None]:
    """Each employee's home building (an index): that of their unit's zones. A unit whose zones lie in several
    towers (units are dealt out floor by floor) has its people split between them in proportion to the desks, teams
    kept together and the head where most desks are, so that every zone is its unit's; the Eselon I units, and any
    unit without a zone, go to :func:`_home_buildings`'s building."""
    desks: dict[int, Counter[int]] = defaultdict(Counter)
    for space in spaces:
        if space["zone_id"] is not None:
            zone = zones[space["zone_id"]]
            desks[zone["org_unit_id"]][floors[zone["floor_id"]]["building_id"]] += 1
    home = _home_buildings(units, desks)
    housed: list[int | None] = [home.get(employee["org_unit_id"]) for employee in employees]
    members: dict[int, list[int]] = defaultdict(list)
    for i, employee in enumerate(employees):
        unit = employee["org_unit_id"]
        while units[unit]["level"] > 2:
            unit = units[unit]["parent_id"]
        if units[unit]["level"] == 2 and len(desks.get(unit, ())) > 1:
            members[unit].append(i)
    for unit, people in members.items():
        split = sorted(desks[unit].items(), key=lambda item: (-item[1], item[0]))
        room = dict(zip([b for b, _ in split], _apportion(len(people), [d for _, d in split]), strict=True))
        teams: dict[int, list[int]] = defaultdict(list)
        for i in people:
            teams[employees[i]["org_unit_id"]].append(i)
        head, *loose = teams.pop(unit, [])  # the head, then the staff of no team, one by one
        order = {building: rank for rank, (building, _) in enumerate(split)}
        blocks = [[head], *sorted(teams.values(), key=lambda team: (-len(team), team[0])), *([i] for i in loose)]
        for block in blocks:  # the head where most desks are, whole teams largest first, each where most room is
            building = min(room, key=lambda b: (-room[b], order[b]))
            for i in block:
                housed[i] = building
            room[building] -= len(block)
    return housed


def _home_buildings(units: list[Row], desks: dict[int, Counter[int]]) -> dict[int, int]:
    """Unit index → the index of the building that houses it: where most desks of its zones are; a team's is its
    unit's; an Eselon I unit's (and that of a unit left without a zone) the commonest among its units'."""
    home = {unit: _commonest(counts) for unit, counts in desks.items() if counts}
    children: dict[int, Counter[int]] = {}
    for i, unit in enumerate(units):
        if unit["level"] == 2 and i in home and unit["parent_id"] is not None:
            children.setdefault(unit["parent_id"], Counter())[home[i]] += 1
    for parent, counts in children.items():
        home[parent] = _commonest(counts)
    for level in (2, 3):  # units without a zone, then teams: their parent's
        for i, unit in enumerate(units):
            if unit["level"] == level and i not in home and unit["parent_id"] in home:
                home[i] = home[unit["parent_id"]]
    by_organisation: dict[int, Counter[int]] = {}
    for i, building in home.items():
        by_organisation.setdefault(units[i]["organisation_id"], Counter())[building] += 1
    for i, unit in enumerate(units):  # an Eselon I unit none of whose units has a zone (tier L): its ministry's
        if i not in home and unit["organisation_id"] in by_organisation:
            home[i] = _commonest(by_organisation[unit["organisation_id"]])
    return home


def _commonest(counts: Counter[int]) -> int:
    """The most counted; the lowest of those tied."""
    return min(counts, key=lambda item: (-counts[item], item))


def _box(x: float, y: float, width: float, height: float) -> Row:
    """Geometry columns, rounded to the centimetre."""
    return {"x": round(x, 2), "y": round(y, 2), "width": round(width, 2), "height": round(height, 2)}


def _draw(rng: random.Random, odds: dict[str, float]) -> list[str]:
    return [amenity for amenity, chance in odds.items() if rng.random() < chance]


Progress = Callable[[str, int], None]
"""Told the name of a table and how many rows just went into it."""


async def seed_demo(
    db: Database,
    *,
    seed: int = 2026,
    tier: Tier = TIERS["S"],
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fills an empty database with the demo dataset (or a larger ``tier`` of it); a database that has any site
    is left as it is.

    With ``today`` (a local date, in practice the clock's), the activity around it too: the 8 weeks before and the
    2 weeks after (:func:`smartoffice.activity.seed_activity`). ``DEMO_AS_OF`` still dates placements and policies.
    """
    report = progress or (lambda _table, _rows: None)
    async with db.write() as session:
        # Two servers starting at once: the second waits here, then finds the site. (SQLite: BEGIN IMMEDIATE.)
        if not db.is_sqlite:
            await session.execute(text("LOCK TABLE sites IN SHARE ROW EXCLUSIVE MODE"))
        if await session.scalar(select(Site.id).limit(1)) is None:
            await _insert(session, generate_demo(seed, tier), report)
            await seed_policies(session, DEMO_AS_OF)  # the office-day policies both ministries work under
            if today is not None:
                await seed_activity(session, today=today, seed=seed, progress=report)
        return await _summarise(session)


def demo_row_count(tier: Tier) -> int:
    """Roughly how many rows :func:`seed_demo` inserts for ``tier`` (for a progress bar)."""
    rooms_and_zones = tier.floors * 5
    return 1 + tier.towers + tier.floors + tier.ministries * 60 + rooms_and_zones + tier.total_desks + 2 * tier.staff


def activity_row_count(tier: Tier) -> int:
    """Roughly how many rows the activity of :func:`seed_demo` adds for ``tier`` (for a progress bar): 55 working
    days of desk bookings for ~70 % of the staff, a fifth as many meetings, and some leave and remote plans."""
    return int(tier.staff * 55 * (0.7 + 0.1 + 0.15))


async def _insert(session: AsyncSession, data: DemoData, progress: Progress) -> None:
    [site_id] = await _insert_returning_ids(session, Site, [data.site])
    building_ids = await _insert_returning_ids(session, Building, _resolve(data.buildings, site_id=[site_id]))
    floor_ids = await _insert_returning_ids(session, Floor, _resolve(data.floors, building_id=building_ids))
    organisation_ids = await _insert_returning_ids(session, Organisation, data.organisations)
    progress("places", 1 + len(building_ids) + len(floor_ids) + len(organisation_ids))
    unit_ids: dict[int, int] = {}
    for level in (1, 2, 3):  # parents before children
        indexes = [i for i, row in enumerate(data.org_units) if row["level"] == level]
        rows = [{**data.org_units[i], "parent_id": unit_ids.get(data.org_units[i]["parent_id"])} for i in indexes]
        ids = await _insert_returning_ids(session, OrgUnit, _resolve(rows, organisation_id=organisation_ids))
        unit_ids.update(zip(indexes, ids, strict=True))
        progress("org_units", len(ids))
    unit_id_list = [unit_ids[i] for i in range(len(data.org_units))]
    zones = _resolve(data.zones, floor_id=floor_ids, org_unit_id=unit_id_list)
    zone_ids = await _insert_returning_ids(session, Zone, zones)
    progress("zones", len(zone_ids))
    # The two big tables go in as one executemany each: SQLite returns ids in order only one row at a time.
    await session.execute(insert(Space), _resolve(data.spaces, floor_id=floor_ids, zone_id=zone_ids))
    progress("spaces", len(data.spaces))
    people = _resolve(data.employees, org_unit_id=unit_id_list, home_building_id=building_ids)
    await session.execute(insert(Employee), [{**row, "supervisor_id": None} for row in people])
    progress("employees", len(people))
    id_by_nip = {nip: id_ for nip, id_ in await session.execute(select(Employee.nip, Employee.id))}
    employee_ids = [id_by_nip[row["nip"]] for row in data.employees]
    supervisors = [
        {"id": employee_ids[i], "supervisor_id": employee_ids[row["supervisor_id"]]}
        for i, row in enumerate(data.employees)
        if row["supervisor_id"] is not None
    ]
    await session.execute(update(Employee), supervisors)
    progress("supervisors", len(data.employees))


def _resolve(rows: list[Row], **ids_by_column: list[int]) -> list[Row]:
    """Replaces parent indexes by the parents' database ids (``None`` stays ``None``)."""
    return [{**row, **{c: None if row[c] is None else ids[row[c]] for c, ids in ids_by_column.items()}} for row in rows]


async def _insert_returning_ids(session: AsyncSession, model: type[Base], rows: list[Row]) -> list[int]:
    """INSERT ... RETURNING id, with the ids in the order of ``rows``."""
    statement = insert(model).returning(model.__table__.c.id, sort_by_parameter_order=True)
    return list((await session.scalars(statement, rows)).all())


async def _summarise(session: AsyncSession) -> DemoSummary:
    def count(model: type[Base], *where: ColumnElement[bool]) -> Any:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    desks, rooms = count(Space, Space.kind == SpaceKind.DESK), count(Space, Space.kind == SpaceKind.ROOM)
    desk_bookings = count(Booking, Booking.space_kind == SpaceKind.DESK)
    room_bookings = count(Booking, Booking.space_kind == SpaceKind.ROOM)
    statement = select(
        count(Site), count(Building), count(Floor), desks, rooms, count(Organisation), count(OrgUnit), count(Employee),
        desk_bookings, room_bookings, count(WorkDay),
    )  # fmt: skip
    return DemoSummary(*(await session.execute(statement)).one())
