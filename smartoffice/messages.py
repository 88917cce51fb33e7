"""Messages for people, in English and Bahasa Indonesia, keyed by the stable codes of domain errors.

A service raises ``InvalidInput("date", "IN_PAST")``; whoever shows the error picks the language (GraphQL from
the request's ``Accept-Language``). Parameters are filled in with ``str.format``.
"""

from collections.abc import Mapping
from typing import Literal

Language = Literal["en", "id"]
DEFAULT_LANGUAGE: Language = "en"

MESSAGES: Mapping[str, Mapping[Language, str]] = {
    # not found, permissions, conflicts
    "NOT_FOUND": {"en": "{kind} {ident} does not exist", "id": "{kind} {ident} tidak ada"},
    "PERMISSION_DENIED": {"en": "You are not allowed to do this", "id": "Anda tidak berwenang melakukan ini"},
    "NOT_YOURS_TO_CANCEL": {
        "en": "Only the person booked, or whoever made the booking for them, may cancel it",
        "id": "Hanya pemesan, atau yang memesankan untuknya, yang dapat membatalkan pemesanan ini",
    },
    "SPACE_TAKEN": {
        "en": "This space is already booked for an overlapping time",
        "id": "Tempat ini sudah dipesan pada waktu yang bertumpang tindih",
    },
    "PERSON_ALREADY_BOOKED": {
        "en": "You already have a desk booked for an overlapping time",
        "id": "Anda sudah memesan meja lain pada waktu yang bertumpang tindih",
    },
    # input
    "INVALID_ID": {"en": "{field} is not a valid {type_name} id", "id": "{field} bukan id {type_name} yang sah"},
    "INVALID_CURSOR": {
        "en": "The cursor is not one this API returned",
        "id": "Kursor ini bukan kursor yang diberikan API ini",
    },
    "END_BEFORE_START": {
        "en": "The end time must be after the start time",
        "id": "Waktu selesai harus setelah waktu mulai",
    },
    "OUTSIDE_OPENING_HOURS": {
        "en": "{building} is open {opens}–{closes}",
        "id": "{building} buka pukul {opens}–{closes}",
    },
    "NOT_ON_SLOT": {
        "en": "Times must be on a quarter hour (:00, :15, :30, :45)",
        "id": "Waktu harus kelipatan seperempat jam (:00, :15, :30, :45)",
    },
    "IN_PAST": {"en": "That time is already in the past", "id": "Waktu tersebut sudah lewat"},
    "ALREADY_CANCELLED": {"en": "This booking is already cancelled", "id": "Pemesanan ini sudah dibatalkan"},
    "ALREADY_ENDED": {"en": "This booking has already ended", "id": "Pemesanan ini sudah berakhir"},
    # recurring bookings
    "INVALID_RRULE": {
        "en": "The recurrence rule is not a valid RRULE (RFC 5545, without DTSTART)",
        "id": "Aturan pengulangan bukan RRULE yang sah (RFC 5545, tanpa DTSTART)",
    },
    "NO_OCCURRENCES": {
        "en": "The recurrence rule gives no date within 26 weeks",
        "id": "Aturan pengulangan tidak menghasilkan tanggal dalam 26 minggu",
    },
    "NOT_RECURRING": {
        "en": "This booking is not part of a series",
        "id": "Pemesanan ini bukan bagian dari rangkaian berulang",
    },
    # booking rules
    "REQUIRED": {"en": "{field} is required", "id": "{field} wajib diisi"},
    "ROOM_NOT_BOOKABLE_THAT_DAY": {
        "en": "This room cannot be booked on that day of the week",
        "id": "Ruangan ini tidak dapat dipesan pada hari tersebut",
    },
    "TOO_FAR_AHEAD": {
        "en": "Bookings open at most {days} days ahead",
        "id": "Pemesanan paling lambat {days} hari sebelumnya",
    },
    "TOO_SHORT": {"en": "A booking lasts at least {minutes} minutes", "id": "Pemesanan minimal {minutes} menit"},
    "TOO_LONG": {"en": "A booking lasts at most {minutes} minutes", "id": "Pemesanan maksimal {minutes} menit"},
    "CLOSED_HOLIDAY": {
        "en": "The office is closed that day: {name}",
        "id": "Kantor tutup pada hari itu: {name}",
    },
    "CLOSED": {"en": "Closed at that time: {reason}", "id": "Ditutup pada waktu tersebut: {reason}"},
    "DESK_ASSIGNED": {
        "en": "This desk is assigned to someone who has not released it for that day",
        "id": "Meja ini milik pegawai lain yang belum melepasnya untuk hari itu",
    },
    "DESK_NOT_ASSIGNED": {
        "en": "This desk is not assigned to anyone",
        "id": "Meja ini tidak ditetapkan untuk siapa pun",
    },
    "NOT_YOUR_DESK": {
        "en": "Only the desk's owner or their manager may release it",
        "id": "Hanya pemilik meja atau atasannya yang dapat melepas meja ini",
    },
    "ATTENDEES_TOO_FEW": {"en": "At least one person must attend", "id": "Minimal satu peserta"},
    "OVER_CAPACITY": {
        "en": "The room seats {capacity} people",
        "id": "Kapasitas ruangan {capacity} orang",
    },
    "LIMIT_REACHED": {
        "en": "You already hold {limit} upcoming bookings of this kind",
        "id": "Anda sudah memiliki {limit} pemesanan mendatang untuk jenis ini",
    },
    "CANCELLATION_DEADLINE_PASSED": {
        "en": "Bookings can be cancelled until {minutes} minutes before they start",
        "id": "Pemesanan hanya dapat dibatalkan hingga {minutes} menit sebelum dimulai",
    },
    "NOT_AN_APPROVER": {
        "en": "Only the room's approvers may decide on its bookings",
        "id": "Hanya penyetuju ruangan yang dapat memutuskan pemesanannya",
    },
    "NOT_PENDING": {
        "en": "This booking is not awaiting approval",
        "id": "Pemesanan ini tidak sedang menunggu persetujuan",
    },
    "NOT_ALLOWED_TO_BOOK_FOR": {
        "en": "You may book only for yourself, the people you manage, or in sites you manage",
        "id": "Anda hanya dapat memesan untuk diri sendiri, bawahan Anda, atau di lokasi yang Anda kelola",
    },
    "INVALID_IDEMPOTENCY_KEY": {
        "en": "An idempotency key is 1 to {max} printable characters",
        "id": "Kunci idempotensi terdiri atas 1 sampai {max} karakter yang dapat dicetak",
    },
    "IDEMPOTENCY_KEY_REUSED": {
        "en": "This idempotency key was already used for a different request",
        "id": "Kunci idempotensi ini sudah dipakai untuk permintaan lain",
    },
    # working calendar
    "RANGE_REVERSED": {
        "en": "The end date must not be before the start date",
        "id": "Tanggal akhir tidak boleh sebelum tanggal awal",
    },
    "RANGE_TOO_LONG": {
        "en": "A date range spans at most {max_days} days",
        "id": "Rentang tanggal paling panjang {max_days} hari",
    },
    "NAME_TOO_LONG": {
        "en": "The name is at most {max_length} characters",
        "id": "Nama paling panjang {max_length} karakter",
    },
    # check-in and check-out
    "NOT_YOUR_BOOKING": {
        "en": "Only the person booked, or whoever made the booking for them, may check in or out",
        "id": "Hanya pemesan, atau yang memesankan untuknya, yang dapat melakukan check-in atau check-out",
    },
    "CHECK_IN_NOT_OPEN": {
        "en": "Check-in opens at {opens}, {minutes} minutes before the start",
        "id": "Check-in dibuka pukul {opens}, {minutes} menit sebelum mulai",
    },
    "AWAITING_APPROVAL": {
        "en": "This booking is still awaiting approval",
        "id": "Pemesanan ini masih menunggu persetujuan",
    },
    "BOOKING_REJECTED": {"en": "This booking was rejected", "id": "Pemesanan ini ditolak"},
    "BOOKING_RELEASED": {
        "en": "This booking was released because nobody checked in in time",
        "id": "Pemesanan ini dilepas karena tidak ada yang check-in tepat waktu",
    },
    "NOT_CHECKED_IN": {
        "en": "You have not checked in to this booking; cancel it if you no longer need it",
        "id": "Anda belum check-in untuk pemesanan ini; batalkan bila tidak lagi diperlukan",
    },
    "ALREADY_CHECKED_OUT": {
        "en": "You have already checked out of this booking",
        "id": "Anda sudah check-out dari pemesanan ini",
    },
    "NO_BOOKING_TO_CHECK_IN": {
        "en": "You have no booking of this space to check in to now",
        "id": "Anda tidak memiliki pemesanan tempat ini untuk check-in saat ini",
    },
    # capacity planning
    "NOT_A_FACILITIES_MANAGER": {
        "en": "Only the site's facilities managers and administrators may see this",
        "id": "Hanya pengelola fasilitas lokasi ini dan administrator yang dapat melihat ini",
    },
    # identity: tokens, accounts, scopes
    "ADMINS_ONLY": {"en": "Only administrators may do this", "id": "Hanya administrator yang dapat melakukan ini"},
    "OUT_OF_RANGE": {
        "en": "{field} must be between {low} and {high}",
        "id": "{field} harus antara {low} dan {high}",
    },
    "UNAUTHENTICATED": {
        "en": "Authentication required: sign in, or send an app token to /api/graphql",
        "id": "Perlu autentikasi: masuk terlebih dahulu, atau kirim token aplikasi ke /api/graphql",
    },
    "INSUFFICIENT_SCOPE": {
        "en": "This app token lacks the {scope} scope",
        "id": "Token aplikasi ini tidak memiliki cakupan {scope}",
    },
    "SESSIONS_ONLY": {
        "en": "App tokens cannot do this; sign in as an administrator",
        "id": "Token aplikasi tidak dapat melakukan ini; masuklah sebagai administrator",
    },
    # pages: signing in and out
    "PAGE_SIGN_IN": {"en": "Sign in", "id": "Masuk"},
    "PAGE_SIGN_OUT": {"en": "Sign out", "id": "Keluar"},
    "PAGE_SIGNED_IN_AS": {"en": "Signed in as", "id": "Masuk sebagai"},
    "PAGE_EMAIL": {"en": "Email", "id": "Email"},
    "PAGE_PASSWORD": {"en": "Password", "id": "Kata sandi"},
    "PAGE_SIGN_IN_INTRO": {
        "en": "Sign in with your work email and password.",
        "id": "Masuk dengan email dinas dan kata sandi Anda.",
    },
    "PAGE_SIGN_IN_FAILED": {
        "en": "That email and password do not match an account.",
        "id": "Email dan kata sandi tersebut tidak cocok dengan akun mana pun.",
    },
    "PAGE_SIGN_IN_THROTTLED": {
        "en": "Too many attempts. Wait a few minutes, then try again.",
        "id": "Terlalu banyak percobaan. Tunggu beberapa menit, lalu coba lagi.",
    },
    "PAGE_SIGN_IN_UNAVAILABLE": {
        "en": "Signing in is unavailable right now. Try again in a moment.",
        "id": "Saat ini tidak dapat masuk. Coba lagi sebentar lagi.",
    },
    "PAGE_OIDC_OR_PASSWORD": {
        "en": "Or with your work email and password:",
        "id": "Atau dengan email dinas dan kata sandi:",
    },
    "PAGE_OIDC_EXPIRED": {
        "en": "That sign-in has expired or was already used. Start again.",
        "id": "Proses masuk tersebut sudah kedaluwarsa atau sudah digunakan. Mulai lagi.",
    },
    "PAGE_OIDC_DENIED": {
        "en": "The identity provider did not sign you in.",
        "id": "Penyedia identitas tidak memasukkan Anda.",
    },
    "PAGE_OIDC_REJECTED": {
        "en": "The identity provider's answer could not be verified, so you are not signed in.",
        "id": "Jawaban penyedia identitas tidak dapat diverifikasi, sehingga Anda tidak masuk.",
    },
    "PAGE_OIDC_NO_CLAIM": {
        "en": "The identity provider did not share what names you here (a verified email or your NIP).",
        "id": "Penyedia identitas tidak membagikan data yang mengenali Anda di sini (email terverifikasi atau NIP).",
    },
    "PAGE_OIDC_UNKNOWN_PERSON": {
        "en": "The identity provider knows you, but no employee in SmartOffice matches you. Ask your administrator.",
        "id": "Penyedia identitas mengenali Anda, tetapi tidak ada pegawai di SmartOffice yang cocok. "
        "Hubungi administrator.",
    },
    "PAGE_OIDC_UNREACHABLE": {
        "en": "The identity provider cannot be reached right now. Try again in a moment, or use your password.",
        "id": "Penyedia identitas tidak dapat dihubungi saat ini. Coba lagi sebentar lagi, atau gunakan kata sandi.",
    },
    "PAGE_DEMO_ACCOUNTS": {"en": "Demo accounts", "id": "Akun demo"},
    "PAGE_DEMO_PASSWORD": {
        "en": "Demo mode: each of these accounts has the password {password}.",
        "id": "Mode demo: setiap akun ini berkata sandi {password}.",
    },
    # office-day policies: permissions and input
    "NOT_YOUR_WEEK": {
        "en": "Only the person, their supervisor or a manager of their unit may see this week",
        "id": "Hanya pegawai yang bersangkutan, atasan langsungnya, atau pimpinan unitnya yang dapat melihat "
        "minggu ini",
    },
    "NOT_YOUR_UNIT": {
        "en": "Only a manager of this unit may do this",
        "id": "Hanya pimpinan unit ini yang dapat melakukan ini",
    },
    "NOT_YOUR_PLAN": {
        "en": "Only the person, their supervisor or a manager of their unit may change their work plan",
        "id": "Hanya pegawai yang bersangkutan, atasan langsungnya, atau pimpinan unitnya yang dapat mengubah "
        "rencana kerjanya",
    },
    "NOT_YOUR_DECISION": {
        "en": "Only the head of the person's unit may decide this request, and not on their own request",
        "id": "Hanya pimpinan unit pegawai yang dapat memutuskan permohonan ini, dan tidak atas permohonannya sendiri",
    },
    "NOT_YOUR_POLICY": {
        "en": "Administrators set agency-wide policies and overlays; unit managers only unit or individual "
        "policies within their unit",
        "id": "Administrator menetapkan kebijakan instansi dan kebijakan khusus; pimpinan unit hanya kebijakan unit "
        "atau perorangan di unitnya",
    },
    "PAST_DAY": {"en": "That day is already in the past", "id": "Hari tersebut sudah lewat"},
    "NOT_A_WORKING_DAY": {"en": "{day} is not a working day", "id": "{day} bukan hari kerja"},
    "EXEMPTION_TOO_LONG": {
        "en": "An exemption runs for at most {max} days",
        "id": "Pengecualian berlaku paling lama {max} hari",
    },
    "EXEMPTION_NOT_PENDING": {
        "en": "This request has already been decided or withdrawn",
        "id": "Permohonan ini sudah diputuskan atau ditarik",
    },
    "NOT_WORKING_WEEKDAYS": {
        "en": "Anchor days are distinct weekdays from Monday to Friday",
        "id": "Hari wajib hadir adalah hari kerja Senin sampai Jumat yang berbeda",
    },
    "UNKNOWN_SCOPE": {"en": "Unknown scope: {names}", "id": "Cakupan tidak dikenal: {names}"},
    "DUPLICATE_CODE": {
        "en": "A policy with code {value} already exists",
        "id": "Kebijakan dengan kode {value} sudah ada",
    },
    "INVALID_RULES": {"en": "The rules are not valid: {detail}", "id": "Aturan tidak sah: {detail}"},
    # office-day policies: refusals (each names the policy and its legal basis)
    "DAY_REQUIRED_IN_OFFICE": {
        "en": "{day} is an office day for you under {policy} ({legal_basis})",
        "id": "{day} adalah hari kerja di kantor bagi Anda menurut {policy} ({legal_basis})",
    },
    "REMOTE_ALLOWANCE_USED": {
        "en": "This week allows you {allowed} remote days and they are planned already: {policy} ({legal_basis})",
        "id": "Minggu ini Anda boleh bekerja dari luar kantor {allowed} hari dan semuanya sudah direncanakan: "
        "{policy} ({legal_basis})",
    },
    "UNIT_REMOTE_SHARE_CAP": {
        "en": "At most {percent}% of your unit may work remotely on {day}, and that share is taken: "
        "{policy} ({legal_basis})",
        "id": "Paling banyak {percent}% pegawai unit Anda boleh bekerja dari luar kantor pada {day}, dan kuota itu "
        "sudah terisi: {policy} ({legal_basis})",
    },
    "OCCUPANCY_CAP": {
        "en": "The building is limited to {percent}% of its desks ({seats}) that day, and they are all booked: "
        "{policy} ({legal_basis})",
        "id": "Gedung ini dibatasi {percent}% dari mejanya ({seats}) pada hari itu, dan semuanya sudah dipesan: "
        "{policy} ({legal_basis})",
    },
    # office-day policies: why a day is required or the week needs what it needs (engine ReasonCode)
    "OFFICE_EVERY_WORKING_DAY": {
        "en": "Public service: in the office every working day",
        "id": "Pelayanan publik: bekerja di kantor setiap hari kerja",
    },
    "ANCHOR_DAY": {"en": "Your unit's anchor day", "id": "Hari wajib hadir unit Anda"},
    "NOT_ELIGIBLE": {
        "en": "Not eligible for remote days",
        "id": "Tidak memenuhi syarat untuk bekerja dari luar kantor",
    },
    "OPEN_DISCIPLINE_CASE": {
        "en": "A disciplinary case is open or a sanction is in force",
        "id": "Ada kasus disiplin yang sedang diperiksa atau hukuman disiplin yang berlaku",
    },
    "TOO_NEW_IN_POST": {
        "en": "{days} days in the post; remote days need {needed}",
        "id": "{days} hari dalam jabatan; bekerja dari luar kantor mensyaratkan {needed} hari",
    },
    "RATING_NOT_ALLOWED": {
        "en": "Latest performance rating ({rating}) is not one of: {allowed}",
        "id": "Predikat kinerja terakhir ({rating}) bukan salah satu dari: {allowed}",
    },
    "MAX_REMOTE_DAYS": {
        "en": "At most {remote_days} remote days in this week of {working_days} working days",
        "id": "Paling banyak {remote_days} hari bekerja dari luar kantor dalam minggu dengan {working_days} hari kerja "
        "ini",
    },
    "MIN_OFFICE_DAYS": {
        "en": "At least {office_days} office days this week",
        "id": "Paling sedikit {office_days} hari bekerja di kantor minggu ini",
    },
    "SUPERVISOR_COPRESENCE": {
        "en": "Office days shared with your direct supervisor",
        "id": "Hari bekerja di kantor bersama atasan langsung",
    },
    "EXEMPTION": {
        "en": "An approved exemption allows {remote_days} remote days this week",
        "id": "Pengecualian yang disetujui membolehkan {remote_days} hari bekerja dari luar kantor minggu ini",
    },
    # office-day policies: compliance problems (engine Problem codes)
    "REQUIRED_DAY_MISSED": {
        "en": "Not in the office on {day}, a required office day",
        "id": "Tidak hadir di kantor pada {day}, hari wajib bekerja di kantor",
    },
    "REQUIRED_DAY_NOT_PLANNED": {
        "en": "{day} is a required office day and no desk or office day is planned",
        "id": "{day} adalah hari wajib bekerja di kantor dan belum ada meja atau rencana kerja di kantor",
    },
    "TOO_FEW_OFFICE_DAYS": {
        "en": "{office_days} office days planned or worked; {needed} needed",
        "id": "{office_days} hari di kantor direncanakan atau dijalani; dibutuhkan {needed}",
    },
    "TOO_MANY_REMOTE_DAYS": {
        "en": "{remote_days} remote days; at most {allowed} allowed",
        "id": "{remote_days} hari bekerja dari luar kantor; paling banyak {allowed} yang dibolehkan",
    },
    "TOO_FEW_DAYS_WITH_SUPERVISOR": {
        "en": "{shared} office days with your direct supervisor; {needed} needed",
        "id": "{shared} hari di kantor bersama atasan langsung; dibutuhkan {needed}",
    },
    # pages: "my week" and unit compliance (the page chrome of base.html too); PAGE_ keeps them apart from errors
    "PAGE_SKIP_TO_MAIN": {"en": "Skip to main content", "id": "Langsung ke konten utama"},
    "PAGE_MAIN_NAV": {"en": "Main", "id": "Menu utama"},
    "PAGE_BREADCRUMB": {"en": "Breadcrumb", "id": "Jejak navigasi"},
    "PAGE_HOME": {"en": "Home", "id": "Beranda"},
    "PAGE_ACTING_AS": {"en": "Acting as", "id": "Bertindak sebagai"},
    "PAGE_STOP_ACTING": {"en": "Stop acting", "id": "Berhenti bertindak"},
    "PAGE_CHOOSE_WHO": {"en": "Choose who you are", "id": "Pilih siapa Anda"},
    "PAGE_FOOTER": {
        "en": "SmartOffice Nusantara · desk booking for the offices of Ibu Kota Nusantara · times in each building's "
        "local time",
        "id": "SmartOffice Nusantara · pemesanan meja untuk kantor-kantor Ibu Kota Nusantara · waktu setempat "
        "tiap gedung",
    },
    "PAGE_WEEKDAY_0": {"en": "Monday", "id": "Senin"},
    "PAGE_WEEKDAY_1": {"en": "Tuesday", "id": "Selasa"},
    "PAGE_WEEKDAY_2": {"en": "Wednesday", "id": "Rabu"},
    "PAGE_WEEKDAY_3": {"en": "Thursday", "id": "Kamis"},
    "PAGE_WEEKDAY_4": {"en": "Friday", "id": "Jumat"},
    "PAGE_WEEKDAY_5": {"en": "Saturday", "id": "Sabtu"},
    "PAGE_WEEKDAY_6": {"en": "Sunday", "id": "Minggu"},
    "PAGE_MONTH_1": {"en": "January", "id": "Januari"},
    "PAGE_MONTH_2": {"en": "February", "id": "Februari"},
    "PAGE_MONTH_3": {"en": "March", "id": "Maret"},
    "PAGE_MONTH_4": {"en": "April", "id": "April"},
    "PAGE_MONTH_5": {"en": "May", "id": "Mei"},
    "PAGE_MONTH_6": {"en": "June", "id": "Juni"},
    "PAGE_MONTH_7": {"en": "July", "id": "Juli"},
    "PAGE_MONTH_8": {"en": "August", "id": "Agustus"},
    "PAGE_MONTH_9": {"en": "September", "id": "September"},
    "PAGE_MONTH_10": {"en": "October", "id": "Oktober"},
    "PAGE_MONTH_11": {"en": "November", "id": "November"},
    "PAGE_MONTH_12": {"en": "December", "id": "Desember"},
    "PAGE_LONG_DATE": {"en": "{weekday} {day} {month} {year}", "id": "{weekday}, {day} {month} {year}"},
    "PAGE_DAY_MONTH": {"en": "{weekday} {day} {month}", "id": "{weekday}, {day} {month}"},
    "PAGE_WEEK_RANGE": {"en": "{first} to {last}", "id": "{first} s.d. {last}"},
    "PAGE_MY_WEEK": {"en": "My week", "id": "Minggu saya"},
    "PAGE_MY_WEEK_LINK": {
        "en": "My week: office days and plans",
        "id": "Minggu saya: hari kerja di kantor dan rencana",
    },
    "PAGE_WEEK_OF": {"en": "Week of {name}", "id": "Minggu kerja {name}"},
    "PAGE_WEEK_NAV": {"en": "Week", "id": "Minggu"},
    "PAGE_PREVIOUS_WEEK": {"en": "Previous week", "id": "Minggu sebelumnya"},
    "PAGE_NEXT_WEEK": {"en": "Next week", "id": "Minggu berikutnya"},
    "PAGE_THIS_WEEK": {"en": "This week", "id": "Minggu ini"},
    "PAGE_CHOOSE_TO_SEE_WEEK": {
        "en": "Choose who you are to see your week: the days you are needed in the office, and why.",
        "id": "Pilih siapa Anda untuk melihat minggu Anda: hari-hari Anda perlu bekerja di kantor, beserta alasannya.",
    },
    "PAGE_DAYS": {"en": "Day by day", "id": "Hari demi hari"},
    "PAGE_REQUIREMENT_REQUIRED": {"en": "Required in the office", "id": "Wajib di kantor"},
    "PAGE_REQUIREMENT_FLEXIBLE": {"en": "Flexible", "id": "Fleksibel"},
    "PAGE_REQUIREMENT_NOT_WORKING": {"en": "Not a working day", "id": "Bukan hari kerja"},
    "PAGE_WEEKEND": {"en": "Weekend", "id": "Akhir pekan"},
    "PAGE_TODAY": {"en": "Today", "id": "Hari ini"},
    "PAGE_WHY": {"en": "Why", "id": "Alasan"},
    "PAGE_PLANNED": {"en": "Planned", "id": "Rencana"},
    "PAGE_ACTUAL": {"en": "Actual", "id": "Realisasi"},
    "PAGE_NOT_PLANNED": {"en": "Not planned", "id": "Belum direncanakan"},
    "PAGE_NOT_RECORDED": {"en": "Not recorded", "id": "Belum tercatat"},
    "PAGE_MODE_OFFICE": {"en": "Office (WFO)", "id": "Kantor (WFO)"},
    "PAGE_MODE_HOME": {"en": "Home (WFH)", "id": "Rumah (WFH)"},
    "PAGE_MODE_ANYWHERE": {"en": "Anywhere (WFA)", "id": "Di mana saja (WFA)"},
    "PAGE_MODE_LEAVE": {"en": "Leave", "id": "Cuti"},
    "PAGE_MODE_DUTY_TRAVEL": {"en": "Duty travel", "id": "Dinas luar"},
    "PAGE_MODE_NONE": {"en": "No plan", "id": "Tanpa rencana"},
    "PAGE_PLAN": {"en": "Plan", "id": "Rencana"},
    "PAGE_FOR_DAY": {"en": "for {day}", "id": "untuk {day}"},
    "PAGE_SAVE_PLAN": {"en": "Save plan", "id": "Simpan rencana"},
    "PAGE_PLAN_SAVED": {"en": "Your plan for {day} is saved.", "id": "Rencana untuk {day} sudah disimpan."},
    "PAGE_BOOK_DESK": {"en": "Book a desk", "id": "Pesan meja"},
    "PAGE_BOOK_DESK_NAMED": {"en": "Book desk {desk}", "id": "Pesan meja {desk}"},
    "PAGE_CHOOSE_DESK": {"en": "Choose a desk", "id": "Pilih meja"},
    "PAGE_COMPLIANCE": {"en": "Compliance", "id": "Kepatuhan"},
    "PAGE_STATUS_COMPLIANT": {"en": "Compliant", "id": "Patuh"},
    "PAGE_STATUS_AT_RISK": {"en": "At risk", "id": "Berisiko"},
    "PAGE_STATUS_NON_COMPLIANT": {"en": "Not compliant", "id": "Tidak patuh"},
    "PAGE_PROBLEMS": {"en": "Problems", "id": "Masalah"},
    "PAGE_NO_PROBLEMS": {"en": "Nothing to fix this week.", "id": "Tidak ada yang perlu diperbaiki minggu ini."},
    "PAGE_WEEK_NUMBERS": {"en": "The week's numbers", "id": "Angka minggu ini"},
    "PAGE_OFFICE_DAYS_NEEDED": {"en": "Office days needed", "id": "Hari di kantor yang dibutuhkan"},
    "PAGE_REMOTE_DAYS_ALLOWED": {"en": "Remote days allowed", "id": "Hari di luar kantor yang dibolehkan"},
    "PAGE_STILL_TO_CHOOSE": {"en": "Office days still to choose", "id": "Hari di kantor yang masih harus dipilih"},
    "PAGE_OFFICE_DAYS_PLANNED": {"en": "Office days planned or done", "id": "Hari di kantor direncanakan/dijalani"},
    "PAGE_WITH_SUPERVISOR": {"en": "Office days with your supervisor", "id": "Hari di kantor bersama atasan"},
    "PAGE_X_OF_Y": {"en": "{count} of {needed}", "id": "{count} dari {needed}"},
    "PAGE_WHY_NUMBERS": {"en": "Why these numbers", "id": "Dasar angka ini"},
    "PAGE_WORKING_HOURS": {"en": "Working hours", "id": "Jam kerja"},
    "PAGE_HOURS_TEXT": {
        "en": "From {start}, {hours} hours a week",
        "id": "Mulai pukul {start}, {hours} jam per minggu",
    },
    "PAGE_HOURS_NATIONAL": {
        "en": "National working hours · Perpres 21/2023",
        "id": "Jam kerja nasional · Perpres 21/2023",
    },
    "PAGE_SUGGESTIONS": {"en": "Suggestions", "id": "Saran"},
    "PAGE_NO_SUGGESTIONS": {
        "en": "Nothing to suggest: your plan covers the office days this week needs.",
        "id": "Tidak ada saran: rencana Anda sudah memenuhi hari di kantor yang dibutuhkan minggu ini.",
    },
    "PAGE_SUGGEST_ANCHOR": {"en": "{day} is your unit's anchor day", "id": "{day} adalah hari wajib hadir unit Anda"},
    "PAGE_SUGGEST_REQUIRED": {
        "en": "{day} is an office day for you",
        "id": "{day} adalah hari wajib bekerja di kantor bagi Anda",
    },
    "PAGE_SUGGEST_FLEXIBLE": {
        "en": "{day} would make a good office day",
        "id": "{day} cocok menjadi hari bekerja di kantor",
    },
    "PAGE_SUGGEST_TEAM": {
        "en": "{count} of your team have desks in {zone}",
        "id": "{count} rekan tim Anda sudah memesan meja di {zone}",
    },
    "PAGE_SUGGEST_TEAM_ONE": {
        "en": "{count} of your team has a desk in {zone}",
        "id": "{count} rekan tim Anda sudah memesan meja di {zone}",
    },
    "PAGE_SUGGEST_NO_TEAM": {
        "en": "nobody in your team has booked a desk yet",
        "id": "belum ada rekan tim yang memesan meja",
    },
    "PAGE_SUGGEST_DESK_FREE": {"en": "desk {desk} is free", "id": "meja {desk} masih kosong"},
    "PAGE_YOUR_UNITS": {"en": "Units you manage", "id": "Unit yang Anda pimpin"},
    "PAGE_UNIT_COMPLIANCE_LINK": {"en": "Compliance of {unit}", "id": "Kepatuhan {unit}"},
    "PAGE_ERROR_CHECK": {"en": "Please check and try again", "id": "Periksa kembali lalu coba lagi"},
    "PAGE_ERROR_REFUSED": {
        "en": "Not possible under your office-day policy",
        "id": "Tidak dapat dilakukan menurut kebijakan hari kerja di kantor",
    },
    "PAGE_ERROR_NOT_ALLOWED": {"en": "Not allowed", "id": "Tidak diizinkan"},
    "PAGE_ERROR_NOT_FOUND": {"en": "Not found", "id": "Tidak ditemukan"},
    "PAGE_INVALID_DATE": {
        "en": "That date is not valid. Use the form YYYY-MM-DD.",
        "id": "Tanggal tidak sah. Gunakan bentuk TTTT-BB-HH.",
    },
    "PAGE_INVALID_MODE": {
        "en": "Choose office, home, anywhere, leave, duty travel or no plan.",
        "id": "Pilih kantor, rumah, di mana saja, cuti, dinas luar, atau tanpa rencana.",
    },
    "PAGE_INVALID_EMPLOYEE": {"en": "That is not a valid employee.", "id": "Pegawai tersebut tidak sah."},
    "PAGE_COMPLIANCE_TITLE": {"en": "Compliance: {unit}", "id": "Kepatuhan: {unit}"},
    "PAGE_COMPLIANCE_INTRO": {
        "en": "Office days planned and done by everyone in {unit} and the units below it, as the head of the unit "
        "monitors them (PermenPANRB 4/2025 Pasal 35). Days before today count what happened; the rest count plans.",
        "id": "Hari di kantor yang direncanakan dan dijalani seluruh pegawai {unit} dan unit di bawahnya, sebagai "
        "bahan pemantauan pimpinan unit (PermenPANRB 4/2025 Pasal 35). Hari sebelum hari ini dihitung dari "
        "realisasi; selebihnya dari rencana.",
    },
    "PAGE_CHOOSE_TO_SEE_UNIT": {
        "en": "Choose who you are: a unit's managers see its compliance here.",
        "id": "Pilih siapa Anda: pimpinan unit melihat kepatuhan unitnya di sini.",
    },
    "PAGE_REMOTE_SHARE": {"en": "Remote share per day", "id": "Porsi kerja di luar kantor per hari"},
    "PAGE_DAY": {"en": "Day", "id": "Hari"},
    "PAGE_REMOTE": {"en": "Remote", "id": "Di luar kantor"},
    "PAGE_REMOTE_COUNT": {
        "en": "{remote} of {members} ({percent}%)",
        "id": "{remote} dari {members} ({percent}%)",
    },
    "PAGE_CAP_ROW": {"en": "Cap", "id": "Batas"},
    "PAGE_CAP": {"en": "At most {percent}%", "id": "Paling banyak {percent}%"},
    "PAGE_CAP_SET_BY": {"en": "Cap set by", "id": "Batas ditetapkan oleh"},
    "PAGE_NO_CAP": {"en": "No cap", "id": "Tanpa batas"},
    "PAGE_OVER_CAP": {"en": "Over the cap", "id": "Melampaui batas"},
    "PAGE_NO_WORKING_DAYS": {"en": "No working days this week.", "id": "Tidak ada hari kerja minggu ini."},
    "PAGE_MEMBERS": {"en": "Staff", "id": "Pegawai"},
    "PAGE_MEMBERS_CAPTION": {
        "en": "Staff of {unit} and their office days this week",
        "id": "Pegawai {unit} dan hari kerja di kantor mereka minggu ini",
    },
    "PAGE_COLUMN_NAME": {"en": "Name", "id": "Nama"},
    "PAGE_COLUMN_STATUS": {"en": "Status", "id": "Status"},
    "PAGE_SORT_HINT": {"en": "(sort)", "id": "(urutkan)"},
    "PAGE_PLANNED_OFFICE_DAYS": {"en": "Office days planned", "id": "Hari di kantor direncanakan"},
    "PAGE_ACTUAL_OFFICE_DAYS": {"en": "Office days done", "id": "Hari di kantor dijalani"},
    "PAGE_NO_MEMBERS": {"en": "Nobody works in this unit.", "id": "Tidak ada pegawai di unit ini."},
    # integrations: webhooks
    "WEBHOOK_URL_NOT_ALLOWED": {
        "en": "A webhook URL must be https:// to a public host, without a user name or password",
        "id": "URL webhook harus https:// ke host publik, tanpa nama pengguna atau kata sandi",
    },
    "NO_EVENT_KINDS": {
        "en": "Choose at least one kind of booking event",
        "id": "Pilih sedikitnya satu jenis peristiwa pemesanan",
    },
    "TOO_MANY_WEBHOOKS": {
        "en": "You already have {max} webhook subscriptions: delete one first",
        "id": "Anda sudah memiliki {max} langganan webhook: hapus salah satunya dahulu",
    },
    "NOT_YOUR_WEBHOOK": {
        "en": "Only its owner or an admin may manage this webhook subscription",
        "id": "Hanya pemilik atau admin yang dapat mengelola langganan webhook ini",
    },
    "TEXT_TOO_LONG": {
        "en": "{field} may be at most {max} characters long",
        "id": "{field} paling panjang {max} karakter",
    },
}


def render(code: str, language: Language = DEFAULT_LANGUAGE, **params: object) -> str:
    return MESSAGES[code][language].format(**params)


def language_from_header(accept_language: str | None) -> Language:
    """The first of our languages named in an ``Accept-Language`` header (by q-value), else English."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        ranked.append((weight, tag.strip().lower().split("-")[0]))
    for _weight, tag in sorted(ranked, key=lambda r: -r[0]):
        if tag in ("en", "id"):
            return "id" if tag == "id" else "en"
    return DEFAULT_LANGUAGE
