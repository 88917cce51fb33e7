"""Reading a people file: records from a valid file, and each bad row named by its line and reason."""

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from smartoffice.errors import CommonInputCode
from smartoffice.people.models import EmploymentType, PositionKind
from smartoffice.people.siasn import PeopleFile, PeopleFileCode, Problem, read_people_file
from tests.support.people_files import (
    HEAD_NIP,
    PPPK_NIP,
    STAFF_NIP,
    TODAY,
    csv_bytes,
    head,
    pppk,
    staff,
    valid_rows,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "people-siasn-example.csv"


def read(rows: list[dict[str, object]], **options: object) -> PeopleFile:
    return read_people_file(csv_bytes(rows, **options), today=TODAY)  # type: ignore[arg-type]


def codes(parsed: PeopleFile) -> list[tuple[int, str | None, str]]:
    return [(p.line, p.column, p.code.name) for p in parsed.problems]


def only_problem(parsed: PeopleFile) -> Problem:
    assert len(parsed.problems) == 1, codes(parsed)
    return parsed.problems[0]


class TestAValidFile:
    def test_gives_people_units_and_organisations(self) -> None:
        parsed = read(valid_rows())

        assert parsed.is_valid and parsed.problems == ()
        head_, staff_, pppk_ = parsed.people
        assert (head_.line, head_.nip, head_.email, head_.position_kind) == (
            2, HEAD_NIP, "bambang@contoh.go.id", PositionKind.MANAGERIAL
        )  # fmt: skip
        assert (staff_.unit_code, staff_.supervisor_nip, staff_.placed_on.isoformat()) == (
            "D1-DIR1",
            HEAD_NIP,
            "2021-03-01",
        )
        assert (pppk_.employment_type, pppk_.position_kind, pppk_.position_level) == (
            EmploymentType.PPPK, PositionKind.EXECUTOR, None
        )  # fmt: skip
        assert [(u.code, u.parent_code, u.name) for u in parsed.units] == [
            ("D1", None, "Deputi Bidang Perencanaan"),
            ("D1-DIR1", "D1", "Direktorat Perencanaan Makro"),
        ]
        assert [o.code for o in parsed.organisations] == ["KLX"]

    def test_the_example_file_in_the_repository_is_valid(self) -> None:
        parsed = read_people_file(EXAMPLE.read_bytes(), today=TODAY)

        assert parsed.problems == ()
        assert len(parsed.people) == 8 and len(parsed.units) == 4
        assert {p.employment_type for p in parsed.people} == {EmploymentType.PNS, EmploymentType.PPPK}

    def test_the_result_is_immutable(self) -> None:
        parsed = read(valid_rows())
        with pytest.raises(FrozenInstanceError):
            parsed.people = ()  # type: ignore[misc]
        with pytest.raises(FrozenInstanceError):
            parsed.people[0].nip = "x"  # type: ignore[misc]
        problem = read([staff(NIP="1")]).problems[0]
        with pytest.raises(TypeError):
            problem.params["value"] = "2"  # type: ignore[index]

    @pytest.mark.parametrize(
        "options", [{"bom": True}, {"delimiter": ";"}, {"delimiter": ";", "bom": True}, {"delimiter": "\t"}]
    )
    def test_bom_and_delimiters_read_the_same(self, options: dict[str, object]) -> None:
        assert read(valid_rows(), **options) == read(valid_rows())

    def test_headers_match_whatever_their_case_and_spacing(self) -> None:
        rows = [{k.upper().replace(" ", "_"): v for k, v in row.items()} for row in valid_rows()]
        headers = [h.upper().replace(" ", "_") for h in head()]

        parsed = read(rows, headers=headers)

        assert parsed.is_valid and len(parsed.people) == 3

    def test_aliases_and_unknown_columns(self) -> None:
        renamed = {"Nama": "Nama Lengkap", "Eselon": "Kelas Jabatan", "Kode Unit": "Kode Unor"}
        rows = [{renamed.get(k, k): v for k, v in row.items()} | {"Golongan": "III/a"} for row in valid_rows()]

        parsed = read(rows, headers=[*rows[0]])

        assert parsed.is_valid and parsed.people[0].name == "Bambang Santoso"
        assert parsed.ignored_columns == ("Golongan",)

    def test_the_header_may_sit_below_a_title_and_lines_stay_the_files(self) -> None:
        content = b"DAFTAR PEGAWAI KEMENTERIAN CONTOH\r\n\r\n" + csv_bytes([head(), staff(NIP="12")])

        parsed = read_people_file(content, today=TODAY)

        assert codes(parsed) == [(5, "NIP", "NIP_NOT_18_DIGITS")]
        assert parsed.people[0].line == 4

    def test_a_quoted_cell_over_two_lines_keeps_the_line_numbers_true(self) -> None:
        parsed = read([head(Jabatan="Deputi\nBidang Perencanaan"), staff(Email="not-an-email")])

        assert codes(parsed) == [(4, "Email", "EMAIL_INVALID")]

    def test_values_are_read_as_people_write_them(self) -> None:
        parsed = read([
            head(NIP="19710315 200003 1 001", Email=" Bambang@Contoh.GO.ID ", Eselon="Eselon Ib",
                 **{"Jenis Jabatan": "STRUKTURAL", "Status Kepegawaian": "cpns", "TMT Jabatan": "1/2/2023"}),
            staff(**{"Jenis Jabatan": "Fungsional Umum", "TMT Jabatan": "2021-03-01 00:00:00"}),
        ])  # fmt: skip

        assert parsed.problems == ()
        head_, staff_ = parsed.people
        assert (head_.nip, head_.email, head_.position_level) == (HEAD_NIP, "bambang@contoh.go.id", "I.b")
        assert head_.placed_on.isoformat() == "2023-02-01" and head_.employment_type is EmploymentType.PNS
        assert staff_.position_kind is PositionKind.EXECUTOR  # the old name of pelaksana


class TestRefusals:
    def test_a_bad_nip_names_its_line_and_reason_and_leaves_the_row_out(self) -> None:
        parsed = read([head(), staff(NIP="198601302010011003"), pppk()])  # 30 January 1986 is fine ...
        assert parsed.is_valid
        parsed = read([head(), staff(NIP="198602302010011003"), pppk()])  # ... 30 February is not

        problem = only_problem(parsed)
        assert (problem.line, problem.column, problem.code) == (3, "NIP", PeopleFileCode.NIP_BIRTH_DATE_INVALID)
        assert problem.message == "NIP 198602302010011003: its first 8 digits are not a birth date (YYYYMMDD)"
        assert not parsed.is_valid and [p.nip for p in parsed.people] == [HEAD_NIP, PPPK_NIP]

    @pytest.mark.parametrize(
        ("cells", "column", "code"),
        [
            ({"NIP": ""}, "NIP", CommonInputCode.REQUIRED),
            ({"Nama": ""}, "Nama", CommonInputCode.REQUIRED),
            ({"Nama": "x" * 201}, "Nama", CommonInputCode.TEXT_TOO_LONG),
            ({"Email": "agus@contoh"}, "Email", PeopleFileCode.EMAIL_INVALID),
            ({"Jenis Jabatan": "Honorer"}, "Jenis Jabatan", PeopleFileCode.POSITION_KIND_UNKNOWN),
            ({"Status Kepegawaian": "Honorer"}, "Status Kepegawaian", PeopleFileCode.EMPLOYMENT_TYPE_UNKNOWN),
            ({"TMT Jabatan": "31-02-2021"}, "TMT Jabatan", PeopleFileCode.DATE_INVALID),
            ({"TMT Jabatan": "March 2021"}, "TMT Jabatan", PeopleFileCode.DATE_INVALID),
            ({"TMT Jabatan": ""}, "TMT Jabatan", CommonInputCode.REQUIRED),
            ({"NIP Atasan": "1971"}, "NIP Atasan", PeopleFileCode.NIP_NOT_18_DIGITS),
            ({"NIP Atasan": STAFF_NIP}, "NIP Atasan", PeopleFileCode.SUPERVISOR_IS_SELF),
            ({"NIP Atasan": "198001012005011001"}, "NIP Atasan", PeopleFileCode.SUPERVISOR_NOT_IN_FILE),
            ({"Status Kepegawaian": "PPPK"}, "NIP", PeopleFileCode.NIP_NOT_PPPK),
            ({"Kode Unit": ""}, "Kode Unit", CommonInputCode.REQUIRED),
            ({"Kode Unit Induk": "D9"}, "Kode Unit Induk", PeopleFileCode.UNIT_PARENT_MISSING),
            ({"Kode Unit": "x" * 65}, "Kode Unit", CommonInputCode.TEXT_TOO_LONG),
        ],
    )
    def test_each_bad_cell_is_named(self, cells: dict[str, object], column: str, code: object) -> None:
        parsed = read([head(), staff(**cells)])

        problem = only_problem(parsed)
        assert (problem.line, problem.column, problem.code) == (3, column, code)
        assert not parsed.is_valid
        for language in ("en", "id"):
            assert "%(" not in problem.message_in(language) and problem.message_in(language)

    def test_every_bad_row_is_reported_not_only_the_first(self) -> None:
        parsed = read([head(Email="x"), staff(NIP="1"), pppk(**{"Jenis Jabatan": "?"})])

        assert codes(parsed) == [
            (2, "Email", "EMAIL_INVALID"),
            (3, "NIP", "NIP_NOT_18_DIGITS"),
            (4, "Jenis Jabatan", "POSITION_KIND_UNKNOWN"),
        ]
        assert parsed.people == ()

    def test_a_repeated_nip_and_email_name_the_other_line(self) -> None:
        repeats_nip = pppk(NIP=STAFF_NIP, **{"Status Kepegawaian": "PNS"})
        repeats_email = staff(NIP=PPPK_NIP, **{"Status Kepegawaian": "PPPK", "TMT Jabatan": "2023-01-02"})
        parsed = read([head(), staff(), repeats_nip, repeats_email])

        assert codes(parsed) == [(4, "NIP", "NIP_REPEATED"), (5, "Email", "EMAIL_REPEATED")]
        assert parsed.problems[0].params["other_line"] == 3
        assert parsed.problems[1].message == (
            "Email agus@contoh.go.id is also on line 3: each person needs an email of their own"
        )

    def test_supervisors_going_round_in_a_circle(self) -> None:
        parsed = read([head(**{"NIP Atasan": PPPK_NIP}), staff(), pppk(**{"NIP Atasan": STAFF_NIP})])

        problem = only_problem(parsed)
        assert (problem.line, problem.code, problem.params["lines"]) == (2, PeopleFileCode.SUPERVISION_CYCLE, "2, 3, 4")

    def test_units_that_are_each_others_parents(self) -> None:
        parsed = read([head(**{"Kode Unit Induk": "D1-DIR1"}), staff()])

        problem = only_problem(parsed)
        assert (problem.line, problem.code) == (2, PeopleFileCode.UNIT_CYCLE)
        assert parsed.units == ()

    def test_a_unit_described_two_ways(self) -> None:
        parsed = read([head(), staff(), pppk(**{"Unit Kerja": "Direktorat Lain"})])

        problem = only_problem(parsed)
        assert (problem.line, problem.column, problem.code) == (4, "Unit Kerja", PeopleFileCode.DESCRIBED_TWICE)
        assert problem.message == "D1-DIR1 has another Unit Kerja on line 3"

    def test_a_placement_before_the_appointment_or_in_the_future_is_a_warning(self) -> None:
        parsed = read([head(**{"TMT Jabatan": "1999-12-31"}), staff(**{"TMT Jabatan": "2027-01-04"}), pppk()])

        assert codes(parsed) == [
            (2, "TMT Jabatan", "PLACED_BEFORE_APPOINTMENT"),
            (3, "TMT Jabatan", "DATE_IN_FUTURE"),
        ]
        assert parsed.is_valid and parsed.errors == () and len(parsed.warnings) == 2 and len(parsed.people) == 3


class TestUnits:
    def test_a_row_without_a_person_describes_a_unit_with_no_staff_of_its_own(self) -> None:
        top = {"Kode Instansi": "KLX", "Kode Unit": "KLX", "Unit Kerja": "Kementerian Contoh"}
        parsed = read([top, head(**{"Kode Unit Induk": "KLX"}), staff()])

        assert parsed.is_valid and len(parsed.people) == 2
        assert [(u.code, u.parent_code, u.line) for u in parsed.units] == [
            ("KLX", None, 2), ("D1", "KLX", 3), ("D1-DIR1", "D1", 4)
        ]  # fmt: skip

    def test_a_unit_named_nowhere_is_refused(self) -> None:
        parsed = read([head(**{"Unit Kerja": ""}), staff()])

        assert codes(parsed) == [(2, "Unit Kerja", "REQUIRED")]

    def test_without_unit_codes_the_path_gives_the_tree(self) -> None:
        headers = [h for h in head() if h not in ("Kode Unit", "Kode Unit Induk")]
        rows = [
            head(**{"Unit Kerja": "Deputi Bidang Perencanaan"}),
            staff(**{"Unit Kerja": "Deputi Bidang Perencanaan > Direktorat  Perencanaan Makro"}),
            pppk(**{"Unit Kerja": "Deputi Bidang Perencanaan>Direktorat Perencanaan Makro"}),
        ]

        parsed = read(rows, headers=headers)

        assert parsed.problems == ()
        top, directorate = parsed.units
        assert (top.name, top.parent_code, directorate.name) == (
            "Deputi Bidang Perencanaan", None, "Direktorat Perencanaan Makro"
        )  # fmt: skip
        assert directorate.parent_code == top.code and directorate.code.startswith("U-")
        assert parsed.people[1].unit_code == parsed.people[2].unit_code == directorate.code
        assert read(rows, headers=headers).units == parsed.units  # the same codes in every import

    def test_an_empty_part_of_a_path_is_refused(self) -> None:
        headers = [h for h in head() if h not in ("Kode Unit", "Kode Unit Induk")]

        parsed = read([head(**{"Unit Kerja": "Deputi > > Direktorat"})], headers=headers)

        assert codes(parsed) == [(2, "Unit Kerja", "UNIT_PATH_EMPTY_PART")]


class TestTheFileAsAWhole:
    def test_a_missing_column_is_named(self) -> None:
        parsed = read(valid_rows(), headers=[h for h in head() if h != "TMT Jabatan"])

        assert codes(parsed) == [(1, None, "COLUMN_MISSING")]
        assert parsed.problems[0].message == "The column TMT Jabatan is missing" and parsed.people == ()

    def test_two_columns_for_one_thing(self) -> None:
        parsed = read([head() | {"NIP Baru": HEAD_NIP}], headers=[*head(), "NIP Baru"])

        assert codes(parsed) == [(1, None, "COLUMN_REPEATED")]

    def test_no_header(self) -> None:
        assert codes(read_people_file(b"a,b,c\n1,2,3\n", today=TODAY)) == [(1, None, "HEADER_NOT_FOUND")]
        assert codes(read_people_file(b"", today=TODAY)) == [(1, None, "HEADER_NOT_FOUND")]

    def test_text_that_is_not_utf8_names_its_line(self) -> None:
        content = csv_bytes([head(), staff(Nama="Agus Pratama")]).replace(b"Agus", "Agüs".encode("cp1252"))

        assert codes(read_people_file(content, today=TODAY)) == [(3, None, "FILE_NOT_UTF8")]

    def test_too_many_rows(self) -> None:
        parsed = read_people_file(csv_bytes(valid_rows()), today=TODAY, max_rows=3)

        assert codes(parsed) == [(4, None, "FILE_TOO_MANY_ROWS")]
