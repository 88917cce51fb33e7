"""The demo dataset: one Kemenko complex in the core government zone (KIPP) of Nusantara, shared by two ministries.

Everything comes from one ``random.Random(seed)``, so a seed always gives the same rows:

* site KIPP Nusantara; towers T1-T4 of 6 floors each (64 x 32 m plans, WITA, open 07:00-19:00);
* on every floor 1-3 meeting rooms along the north wall, and 25-90 desks (1,300 in all) in benches of facing
  desks, split into 2-4 zones; each zone is the home of one Eselon II unit, and every floor mixes units of both
  ministries, the "sharing office" of the Kemenko towers;
* Kementerian PPN/Bappenas and Kemenko PMK, 800 staff each, in a unit tree: Eselon I (Sekretariat, Deputi), Eselon
  II (Direktorat, Biro, Pusat, Asisten Deputi), and in some units teams (Tim Kerja) led by a senior functional
  official, as after the 2019-2021 delayering;
* synthetic people (names, emails, NIPs: no real person): mostly functional officials, ~15 % PPPK, and ~12 %
  placed in their post less than 180 days before :data:`DEMO_AS_OF`, so that tenure rules have cases;
* no bookings. There are more people than desks on purpose: peak days run short of seats.

:func:`generate_demo` builds plain rows (pure and deterministic); :func:`seed_demo` bulk-inserts them once.

The same generator builds the larger scale tiers of ``smartoffice bench`` (:data:`TIERS`): tier S *is* this demo;
M and L add towers, floors, larger open-plan floors and more ministries (copies of the two unit trees under
synthetic K/L codes), drawn the same way.
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import cycle
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import Base, Database
from smartoffice.people.models import Employee, EmploymentType, Organisation, OrgUnit, PositionKind
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone
from smartoffice.policies.demo import seed_policies

DEMO_AS_OF = date(2026, 11, 22)
"""The day the dataset describes: placement dates are drawn relative to it, never to the clock."""

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
    buildings, floors, zones, spaces = _plan_towers(rng, eselon_ii_by_ministry, org_units, tier)
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
    rng: random.Random, eselon_ii_by_ministry: list[list[int]], units: list[Row], tier: Tier
) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    buildings: list[Row] = []
    floors: list[Row] = []
    zones: list[Row] = []
    spaces: list[Row] = []
    # Units are dealt out in tree order, so a Deputi's directorates sit on neighbouring floors.
    next_unit = [cycle(ids) for ids in eselon_ii_by_ministry]
    desk_counts = iter(_desks_per_floor(rng, tier))
    hours = {"time_zone": "Asia/Makassar", "opens_at": time(7), "closes_at": time(19)}
    for tower in range(1, tier.towers + 1):
        buildings.append({"site_id": 0, "code": f"T{tower}", "name": f"Menara {tower} Kompleks Kemenko", **hours})
        for level in range(1, tier.floors_per_tower + 1):
            floor, label = len(floors), f"T{tower}-{level}"
            size = {"width": FLOOR_WIDTH, "height": FLOOR_HEIGHT}
            floors.append({"building_id": tower - 1, "level": level, "name": f"Lantai {level}", **size})
            spaces += _rooms(rng, floor, label)
            zone_count = rng.choice((2, 3, 3, 4))
            # Alternate the ministries (S: the two of them, so every floor is shared).
            owners = [next(next_unit[(floor + i) % len(next_unit)]) for i in range(zone_count)]
            zone_width = (FLOOR_WIDTH - 2 * DESK_AREA_SIDE) / zone_count
            desks = _apportion(next(desk_counts), [rng.uniform(0.7, 1.3) for _ in owners])
            for i, (owner, desk_count) in enumerate(zip(owners, desks, strict=True)):
                zone_label, x = f"{label}-{'ABCD'[i]}", DESK_AREA_SIDE + i * zone_width
                zones.append(
                    {"floor_id": floor, "code": zone_label, "name": f"Zona {'ABCD'[i]} {units[owner]['name']}",
                     "org_unit_id": owner, **_box(x, DESK_AREA_TOP, zone_width, DESK_AREA_BOTTOM - DESK_AREA_TOP)}
                )  # fmt: skip
                spaces += _desks(rng, floor, len(zones) - 1, zone_label, x, zone_width, desk_count)
    return buildings, floors, zones, spaces


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


def _box(x: float, y: float, width: float, height: float) -> Row:
    """Geometry columns, rounded to the centimetre."""
    return {"x": round(x, 2), "y": round(y, 2), "width": round(width, 2), "height": round(height, 2)}


def _draw(rng: random.Random, odds: dict[str, float]) -> list[str]:
    return [amenity for amenity, chance in odds.items() if rng.random() < chance]


Progress = Callable[[str, int], None]
"""Told the name of a table and how many rows just went into it."""


async def seed_demo(
    db: Database, *, seed: int = 2026, tier: Tier = TIERS["S"], progress: Progress | None = None
) -> DemoSummary:
    """Fills an empty database with the demo dataset (or a larger ``tier`` of it); a database that has any site
    is left as it is."""
    async with db.write() as session:
        # Two servers starting at once: the second waits here, then finds the site. (SQLite: BEGIN IMMEDIATE.)
        if not db.is_sqlite:
            await session.execute(text("LOCK TABLE sites IN SHARE ROW EXCLUSIVE MODE"))
        if await session.scalar(select(Site.id).limit(1)) is None:
            await _insert(session, generate_demo(seed, tier), progress or (lambda _table, _rows: None))
            await seed_policies(session, DEMO_AS_OF)  # the office-day policies both ministries work under
        return await _summarise(session)


def demo_row_count(tier: Tier) -> int:
    """Roughly how many rows :func:`seed_demo` inserts for ``tier`` (for a progress bar)."""
    rooms_and_zones = tier.floors * 5
    return 1 + tier.towers + tier.floors + tier.ministries * 60 + rooms_and_zones + tier.total_desks + 2 * tier.staff


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
    people = _resolve(data.employees, org_unit_id=unit_id_list)
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
    statement = select(
        count(Site), count(Building), count(Floor), desks, rooms, count(Organisation), count(OrgUnit), count(Employee)
    )
    return DemoSummary(*(await session.execute(statement)).one())
