"""Office-day policies for the demo dataset: DOMAIN.md's eight example policies, set for its two ministries.

:func:`seed_policies` reads the organisations, units and employees :mod:`smartoffice.demo` seeded and adds, once:

1. **National baseline** (everyone): what PermenPANRB 4/2025 itself states: at most 2 remote days a week, no
   remote day with an open discipline case or before 180 days in post. With it, the national rules for
   special-circumstances exemptions (example 6): up to 5 remote days a week, for at most 3 calendar
   months. The two
   agencies' own decisions (each ministry's decree, demo data) add, for all their staff: at most 30 % of a unit
   remote on a day, and pro-rating the weekly numbers in weeks with holidays; citations name those decrees, not
   the Permen.
2. **Planners** (Bappenas, *Perencana* of every level; one row per level, as a scope names one level): at least 3
   office days a week and their unit's anchor day. Anchor days: Wednesday for every Bappenas directorate; the other
   Eselon II units of both ministries get Monday, Tuesday, Thursday or Friday, each unit to the day with the fewest
   people anchored so far (largest units first), so that Wednesday is the only peak; an Eselon I unit takes its
   units' commonest day. Kemenko PMK asks the same anchor day of its functional staff.
3. **Public service** (the *pelaksana* of the units that serve the building and the public): in the office every
   working day, cuti bersama included. The demo has no front office, clinic or PTSP of its own, so these stand
   for them: Bappenas' Biro Umum (front office, security, clinic) and Pusdatin (IT operations and helpdesk);
   Kemenko PMK's Biro Umum dan SDM (front office, clinic) and Biro Komunikasi dan Informasi Publik (the public
   information desk, PPID).
4. **Performance gate** (Kemenko PMK): remote days only with a latest rating of *Sangat Baik* or *Baik*.
5. **Co-presence** (both ministries): one office day a week shared with the direct supervisor; managers
   (*jabatan manajerial*) in the office on their unit's anchor day.
6. **Exemptions**: four approved and running on ``as_of`` (3-5 remote days, decided by the head of the person's
   Eselon II unit), one that expired 9 days before, one pending for the week after next.
7. **Ramadan overlays** for 1447 H and 1448 H: 32.5 hours a week, Monday to Thursday 08:00-15:00 and Friday
   08:00-15:30 (a longer break for the Friday prayer).
8. **Emergency overlay**: none in force; one past one (two weeks of haze, ten weeks before ``as_of``) capped the
   towers at 50 % and lifted the weekly numbers, anchor days, co-presence and eligibility; public service stayed.

Plus discipline cases (per ministry one active, one pending, one closed) and a performance rating of the year
before ``as_of`` for everyone (mostly *Baik* and *Sangat Baik*, some *Butuh Perbaikan*). People are drawn from a
``random.Random`` seeded with a constant, over employees in NIP order, so the same demo gives the same rows.

Legal bases name the regulations as the news reports quote them; agency decisions are marked as demo data
rather than given decree numbers nobody issued.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import Base
from smartoffice.people.models import Employee, Organisation, OrgUnit, PositionKind
from smartoffice.policies.models import (
    AnchorDay,
    CaseStatus,
    DisciplineCase,
    Exemption,
    ExemptionStatus,
    LocationKind,
    PerformanceRating,
    Policy,
    PolicyLevel,
    Rating,
)

SEED = 2026
NATIONAL_CODE = "NASIONAL-FLEKSIBILITAS-LOKASI"
"""The baseline's code: when it exists, the policies have been seeded."""

PERMENPANRB = "PermenPANRB 4/2025"
IN_FORCE = date(2025, 4, 21)
"""PermenPANRB 4/2025 took effect."""
AGENCY_POLICIES_FROM = date(2025, 7, 1)

RAMADAN = {1447: (date(2026, 2, 19), date(2026, 3, 20)), 1448: (date(2027, 2, 8), date(2027, 3, 9))}
"""First and last day of Ramadan by Hijri year: the ``holidays`` package's first of Ramadan for Indonesia, to
the eve of its Idul Fitri (1448 H is the package's estimate; the government fixes it by *sidang isbat*)."""
RAMADAN_HOURS = {
    "start": "08:00:00",
    "hours_per_week": 32.5,
    "days": [
        *({"weekday": weekday, "start": "08:00:00", "end": "15:00:00", "hours": 6.5} for weekday in range(4)),
        {"weekday": 4, "start": "08:00:00", "end": "15:30:00", "hours": 6.5},
    ],
}
"""Perpres 21/2023's Ramadan hours, per weekday: 6.5 hours a day, Friday's with an hour's break instead of half an
hour's."""
UNIT_REMOTE_PERCENT = 30
"""KemenPAN-RB's internal rule (DOMAIN.md), which the demo's ministries decided for themselves."""

PLANNER_LEVELS = tuple(f"Perencana {grade}" for grade in ("Ahli Pertama", "Ahli Muda", "Ahli Madya", "Ahli Utama"))
PUBLIC_SERVICE_UNITS = {
    "BAPPENAS": {
        "Biro Umum": "front office, keamanan dan klinik",
        "Pusat Data dan Informasi Perencanaan Pembangunan": "operasi TI dan helpdesk",
    },
    "KEMENKOPMK": {
        "Biro Umum dan Sumber Daya Manusia": "front office dan klinik",
        "Biro Komunikasi dan Informasi Publik": "layanan informasi publik (PPID)",
    },
}
GATED_ORGANISATION = "KEMENKOPMK"
FUNCTIONAL_ANCHOR_ORGANISATION = "KEMENKOPMK"
PLANNERS_ORGANISATION = "BAPPENAS"
PLANNERS_ANCHOR_WEEKDAY = 2  # Wednesday
OTHER_ANCHOR_WEEKDAYS = (0, 1, 3, 4)

RATING_WEIGHTS = {Rating.SANGAT_BAIK: 20, Rating.BAIK: 71, Rating.BUTUH_PERBAIKAN: 8, Rating.KURANG: 1}

EXEMPTION_CASES = (
    (5, "Pemulihan pascaoperasi; dokter melarang perjalanan", "Surat keterangan dokter spesialis bedah"),
    (4, "Mendampingi anak yang dirawat intensif di rumah sakit", "Surat keterangan rawat inap RSUD"),
    (3, "Kehamilan risiko tinggi, trimester ketiga", "Surat keterangan dokter spesialis kandungan"),
    (3, "Cedera kaki akibat kecelakaan, belum dapat naik tangga", "Surat keterangan dokter ortopedi"),
)
EXPIRED_CASE = (3, "Merawat orang tua pascastroke", "Surat keterangan dokter saraf")
PENDING_CASE = (4, "Terapi lanjutan pascakemoterapi", "Jadwal terapi dari rumah sakit")
WORK_PLAN = "Target mingguan sesuai SKP; laporan kemajuan tiap Jumat kepada atasan langsung; hadir rapat daring."

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Unit:
    id: int
    parent_id: int | None
    organisation_id: int
    name: str
    level: int
    code: str


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    org_unit_id: int
    position_kind: PositionKind
    position_level: str | None
    placed_on: date


async def seed_policies(session: AsyncSession, as_of: date) -> int:
    """Adds the demo policies and the facts they read; returns the rows added (0 when they are there already)."""
    if await session.scalar(select(Policy.id).where(Policy.code == NATIONAL_CODE)) is not None:
        return 0
    organisations = dict((await session.execute(select(Organisation.code, Organisation.id))).all())
    units = {
        row.id: _Unit(row.id, row.parent_id, row.organisation_id, row.name, row.level, row.code)
        for row in await session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.organisation_id, OrgUnit.name, OrgUnit.level, OrgUnit.code)
        )
    }
    people = [
        _Person(*row)
        for row in await session.execute(
            select(
                Employee.id, Employee.org_unit_id, Employee.position_kind, Employee.position_level, Employee.placed_on
            ).order_by(Employee.nip)
        )
    ]
    rng = random.Random(SEED)
    public_service = _public_service_units(units, organisations)
    policies = [
        *_national_policies(),
        *_agency_policies(organisations, public_service),
        *_overlays(as_of),
    ]
    anchors = _anchor_days(units, people, organisations)
    serving = {p.id for p in people if p.org_unit_id in public_service and p.position_kind == PositionKind.EXECUTOR}
    candidates = [
        p
        for p in people
        if p.position_kind != PositionKind.MANAGERIAL and p.id not in serving and (as_of - p.placed_on).days >= 180
    ]
    exempted = rng.sample(candidates, len(EXEMPTION_CASES) + 2)
    exemptions = _exemptions(rng, exempted, units, people, as_of)
    cases = []
    for organisation_id in sorted(organisations.values()):
        staff = [p for p in candidates if units[p.org_unit_id].organisation_id == organisation_id and p not in exempted]
        cases += _discipline_cases(rng.sample(staff, min(3, len(staff))), as_of)
    drawn = rng.choices(list(RATING_WEIGHTS), list(RATING_WEIGHTS.values()), k=len(people))
    ratings = [
        {"employee_id": p.id, "period": as_of.year - 1, "rating": rating}
        for p, rating in zip(people, drawn, strict=True)
    ]
    batches: list[tuple[type[Base], list[Row]]] = [
        (Policy, policies),
        (AnchorDay, anchors),
        (Exemption, exemptions),
        (DisciplineCase, cases),
        (PerformanceRating, ratings),
    ]
    for model, rows in batches:
        if rows:
            await session.execute(insert(model), rows)
    return sum(len(rows) for _, rows in batches)


def _policy(code: str, name: str, level: PolicyLevel, rules: Row, **values: Any) -> Row:
    return {
        "code": code,
        "name": name,
        "level": int(level),
        "is_overlay": False,
        "effective_from": AGENCY_POLICIES_FROM,
        "effective_until": None,
        "organisation_id": None,
        "org_unit_id": None,
        "position_kind": None,
        "position_level": None,
        "employment_type": None,
        "building_id": None,
        "employee_id": None,
        "created_by_id": None,
        "rules": rules,
        **values,
    }


def _national_policies() -> list[Row]:
    return [
        _policy(
            NATIONAL_CODE,
            "Fleksibilitas lokasi ASN: paling banyak 2 hari kerja seminggu",
            PolicyLevel.NATIONAL,
            {"max_remote_days_per_week": 2, "eligibility": {"no_discipline_case": True, "min_days_in_post": 180}},
            legal_basis=f"{PERMENPANRB} Pasal 13(1), Pasal 25",
            set_by="Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            effective_from=IN_FORCE,
        ),
        _policy(
            "NASIONAL-KEADAAN-KHUSUS",
            "Keadaan khusus: sampai 5 hari kerja di luar kantor, paling lama 3 bulan",
            PolicyLevel.NATIONAL,
            {"exemption_max_remote_days": 5, "exemption_max_months": 3},
            legal_basis=f"{PERMENPANRB} Pasal 13 (ASN dalam keadaan khusus)",
            set_by="Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            effective_from=IN_FORCE,
        ),
    ]


def _agency_policies(organisations: Mapping[str, int], public_service: Mapping[int, tuple[str, str, str]]) -> list[Row]:
    def basis(code: str) -> str:
        return f"Kebijakan internal {code} berdasarkan {PERMENPANRB} (data demo)"

    def head(code: str) -> str:
        return f"Pejabat Pembina Kepegawaian {code}"

    def decree(code: str, about: str) -> str:
        return f"Keputusan Pejabat Pembina Kepegawaian {code} tentang {about} (data demo)"

    rows = []
    if (bappenas := organisations.get(PLANNERS_ORGANISATION)) is not None:
        rows += [
            _policy(
                f"BAPPENAS-{level.upper().replace(' ', '-')}",
                f"Jabatan Fungsional {level}: paling sedikit 3 hari di kantor, hadir pada hari jangkar unit",
                PolicyLevel.AGENCY,
                {"min_office_days_per_week": 3, "anchor_days_required": True},
                legal_basis=basis(PLANNERS_ORGANISATION),
                set_by=head(PLANNERS_ORGANISATION),
                organisation_id=bappenas,
                position_kind=PositionKind.FUNCTIONAL,
                position_level=level,
            )
            for level in PLANNER_LEVELS
        ]
        rows.append(
            _policy(
                f"{PLANNERS_ORGANISATION}-LOKASI-KERJA",
                "Kerja di luar kantor hanya dari rumah terdaftar atau kantor lain Bappenas",
                PolicyLevel.AGENCY,
                {"allowed_location_kinds": [LocationKind.REGISTERED_HOME.value, LocationKind.AGENCY_OFFICE.value]},
                legal_basis=decree(PLANNERS_ORGANISATION, "lokasi kerja fleksibel pegawai"),
                set_by=head(PLANNERS_ORGANISATION),
                organisation_id=bappenas,
            )
        )
    if (pmk := organisations.get(FUNCTIONAL_ANCHOR_ORGANISATION)) is not None:
        rows.append(
            _policy(
                f"{FUNCTIONAL_ANCHOR_ORGANISATION}-FUNGSIONAL-HARI-JANGKAR",
                "Pejabat fungsional hadir pada hari jangkar unit",
                PolicyLevel.AGENCY,
                {"anchor_days_required": True},
                legal_basis=basis(FUNCTIONAL_ANCHOR_ORGANISATION),
                set_by=head(FUNCTIONAL_ANCHOR_ORGANISATION),
                organisation_id=pmk,
                position_kind=PositionKind.FUNCTIONAL,
            )
        )
    for unit_id, (organisation, unit_code, service) in sorted(public_service.items()):
        rows.append(
            _policy(
                f"LAYANAN-{unit_code}",
                f"Layanan langsung ({service}): di kantor setiap hari kerja, termasuk cuti bersama",
                PolicyLevel.AGENCY,
                {"office_every_working_day": True, "works_on_collective_leave": True},
                legal_basis=f"{basis(organisation)}; Perpres 21/2023 (unit pelayanan langsung)",
                set_by=head(organisation),
                org_unit_id=unit_id,
                position_kind=PositionKind.EXECUTOR,
            )
        )
    if (gated := organisations.get(GATED_ORGANISATION)) is not None:
        rows.append(
            _policy(
                f"{GATED_ORGANISATION}-SYARAT-KINERJA",
                "Hari kerja di luar kantor hanya dengan predikat kinerja Sangat Baik atau Baik",
                PolicyLevel.AGENCY,
                {"eligibility": {"ratings": [Rating.SANGAT_BAIK.value, Rating.BAIK.value]}},
                legal_basis=f"{basis(GATED_ORGANISATION)}; kriteria tambahan instansi",
                set_by=head(GATED_ORGANISATION),
                organisation_id=gated,
            )
        )
    for code, organisation_id in sorted(organisations.items()):
        rows += [
            _policy(
                f"{code}-PORSI-UNIT-JARAK-JAUH",
                f"Paling banyak {UNIT_REMOTE_PERCENT} % pegawai satu unit bekerja di luar kantor pada hari yang sama",
                PolicyLevel.AGENCY,
                {"max_unit_remote_percent": UNIT_REMOTE_PERCENT},
                legal_basis=decree(code, "porsi pegawai unit yang bekerja di luar kantor"),
                set_by=head(code),
                organisation_id=organisation_id,
            ),
            _policy(
                f"{code}-PRORATA-MINGGU-LIBUR",
                "Minggu dengan hari libur: batas hari kerja di luar kantor dihitung sebanding dengan hari kerjanya",
                PolicyLevel.AGENCY,
                {"prorate_short_weeks": True},
                legal_basis=decree(code, "perhitungan proporsional pada minggu dengan hari libur"),
                set_by=head(code),
                organisation_id=organisation_id,
            ),
            _policy(
                f"{code}-KOPRESENSI-ATASAN",
                "Paling sedikit 1 hari seminggu di kantor bersama atasan langsung",
                PolicyLevel.AGENCY,
                {"supervisor_copresence_days": 1},
                legal_basis=f"{basis(code)}; {PERMENPANRB} Pasal 35 (pemantauan oleh pimpinan unit)",
                set_by=head(code),
                organisation_id=organisation_id,
            ),
            _policy(
                f"{code}-PIMPINAN-HARI-JANGKAR",
                "Pejabat manajerial hadir pada hari jangkar unitnya",
                PolicyLevel.AGENCY,
                {"anchor_days_required": True},
                legal_basis=basis(code),
                set_by=head(code),
                organisation_id=organisation_id,
                position_kind=PositionKind.MANAGERIAL,
            ),
        ]
    return rows


def _overlays(as_of: date) -> list[Row]:
    rows = [
        _policy(
            f"RAMADAN-{year}H",
            f"Jam kerja bulan Ramadan {year} H: Senin-Kamis 08.00-15.00, Jumat 08.00-15.30 (32,5 jam seminggu)",
            PolicyLevel.NATIONAL,
            {"working_hours": RAMADAN_HOURS},
            is_overlay=True,
            legal_basis="Perpres 21/2023 (jam kerja pada bulan Ramadan); surat edaran Menteri PANRB",
            set_by="Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            effective_from=first,
            effective_until=last,
        )
        for year, (first, last) in RAMADAN.items()
    ]
    haze = _monday(as_of - timedelta(weeks=10))
    rows.append(
        _policy(
            f"DARURAT-KABUT-ASAP-{haze:%Y%m%d}",
            "Darurat kabut asap: okupansi gedung paling banyak 50 %",
            PolicyLevel.NATIONAL,
            {
                "building_occupancy_percent": 50,
                "max_remote_days_per_week": 5,
                "min_office_days_per_week": 0,
                "anchor_days_required": False,
                "supervisor_copresence_days": 0,
                "eligibility": {},
            },
            is_overlay=True,
            legal_basis="Keputusan Kepala Otorita Ibu Kota Nusantara tentang tanggap darurat kabut asap (data demo)",
            set_by="Kepala Otorita Ibu Kota Nusantara",
            effective_from=haze,
            effective_until=haze + timedelta(days=11),  # Friday of the second week
        )
    )
    return rows


def _public_service_units(
    units: Mapping[int, _Unit], organisations: Mapping[str, int]
) -> dict[int, tuple[str, str, str]]:
    """``unit id → (organisation code, unit code, the service it stands for)`` (:data:`PUBLIC_SERVICE_UNITS`)."""
    wanted = {
        (organisations[code], name): (code, service)
        for code, services in PUBLIC_SERVICE_UNITS.items()
        if code in organisations
        for name, service in services.items()
    }
    found = {}
    for unit in units.values():
        if (key := (unit.organisation_id, unit.name)) in wanted:
            organisation, service = wanted[key]
            found[unit.id] = (organisation, unit.code, service)
    return found


def _anchor_days(units: Mapping[int, _Unit], people: Iterable[_Person], organisations: Mapping[str, int]) -> list[Row]:
    headcount: Counter[int] = Counter()
    for person in people:
        unit = units[person.org_unit_id]
        while unit.level > 2 and unit.parent_id is not None:
            unit = units[unit.parent_id]
        headcount[unit.id] += 1
    planners = organisations.get(PLANNERS_ORGANISATION)
    eselon_ii = [u for u in units.values() if u.level == 2]
    weekday: dict[int, int] = {
        u.id: PLANNERS_ANCHOR_WEEKDAY
        for u in eselon_ii
        if u.organisation_id == planners and u.name.startswith("Direktorat")
    }
    load = Counter(dict.fromkeys(OTHER_ANCHOR_WEEKDAYS, 0))
    for unit in sorted((u for u in eselon_ii if u.id not in weekday), key=lambda u: (-headcount[u.id], u.code)):
        day = min(OTHER_ANCHOR_WEEKDAYS, key=lambda d: (load[d], d))
        weekday[unit.id] = day
        load[day] += headcount[unit.id]
    children: dict[int, list[int]] = defaultdict(list)
    for unit in eselon_ii:
        if unit.parent_id is not None:
            children[unit.parent_id].append(weekday[unit.id])
    for parent, days in children.items():
        weekday[parent] = Counter(sorted(days)).most_common(1)[0][0]
    return [
        {"org_unit_id": unit, "weekday": day, "effective_from": AGENCY_POLICIES_FROM, "effective_until": None}
        for unit, day in sorted(weekday.items())
    ]


def _unit_heads(units: Mapping[int, _Unit], people: Iterable[_Person]) -> dict[int, int]:
    """``employee id → the head of their Eselon II unit`` (of their Eselon I unit for those placed there)."""
    heads = {p.org_unit_id: p.id for p in people if p.position_kind == PositionKind.MANAGERIAL}
    result = {}
    for person in people:
        unit = units[person.org_unit_id]
        while unit.level > 2 and unit.parent_id is not None:
            unit = units[unit.parent_id]
        if unit.id in heads and heads[unit.id] != person.id:
            result[person.id] = heads[unit.id]
    return result


def _exemptions(
    rng: random.Random, chosen: list[_Person], units: Mapping[int, _Unit], people: list[_Person], as_of: date
) -> list[Row]:
    heads = _unit_heads(units, people)
    rows = []
    for person, (days, reason, evidence) in zip(chosen, EXEMPTION_CASES, strict=False):
        starts = as_of - timedelta(days=rng.randint(7, 45))
        ends = starts + timedelta(days=rng.randint(60, 91))
        rows.append(_exemption(person, heads, days, reason, evidence, starts, ends, ExemptionStatus.APPROVED))
    expired, pending = chosen[len(EXEMPTION_CASES)], chosen[len(EXEMPTION_CASES) + 1]
    ended = as_of - timedelta(days=9)
    rows.append(_exemption(expired, heads, *EXPIRED_CASE, ended - timedelta(days=91), ended, ExemptionStatus.APPROVED))
    starts = _monday(as_of) + timedelta(weeks=2)  # asked for the week after next
    rows.append(_exemption(pending, heads, *PENDING_CASE, starts, starts + timedelta(days=59), ExemptionStatus.PENDING))
    return rows


def _exemption(
    person: _Person,
    heads: Mapping[int, int],
    days: int,
    reason: str,
    evidence: str,
    starts: date,
    ends: date,
    status: ExemptionStatus,
) -> Row:
    decided = status != ExemptionStatus.PENDING
    requested_on = starts - timedelta(days=3)
    return {
        "employee_id": person.id,
        "remote_days_per_week": days,
        "reason": reason,
        "evidence": evidence,
        "work_plan": WORK_PLAN,
        "starts_on": starts,
        "ends_on": ends,
        "status": status,
        "requested_by_id": person.id,
        "decided_by_id": heads.get(person.id) if decided else None,
        "decided_at": datetime.combine(requested_on + timedelta(days=1), time(2), UTC) if decided else None,
        "decision_note": "Disetujui pimpinan unit sesuai bukti yang dilampirkan." if decided else None,
        "created_at": datetime.combine(requested_on, time(1), UTC),
    }


def _discipline_cases(chosen: list[_Person], as_of: date) -> list[Row]:
    """An active case (a sanction in force), a pending one (under examination) and one closed long ago."""
    cases = (
        (CaseStatus.ACTIVE, as_of - timedelta(days=45), None),
        (CaseStatus.PENDING, as_of - timedelta(days=12), None),
        (CaseStatus.CLOSED, as_of - timedelta(days=400), as_of - timedelta(days=200)),
    )
    return [
        {"employee_id": person.id, "status": status, "opened_on": opened, "closed_on": closed}
        for person, (status, opened, closed) in zip(chosen, cases, strict=False)
    ]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
