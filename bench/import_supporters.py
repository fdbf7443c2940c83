"""Benchmark of the supporter import: 10,000-row files, preview and confirm, rows/s and memory.

Run by hand; results and the bar are in bench/README.md, "Supporter import":

    .venv/bin/python bench/import_supporters.py                      # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iwaki_bench \\
        .venv/bin/python bench/import_supporters.py                  # PostgreSQL

It creates a throwaway test database (Django's test-database machinery: ``test_<name>``),
loads the 2017 data, and for an xlsx and a cp932 CSV of the same 10,000 supporters spread over
the 15 groups measures

* the bare read: openpyxl's read-only mode iterating every cell of the xlsx, nothing else;
* preview: read, validate and plan every row, and serialise the validated rows as the import
  page stores them;
* confirm: rebuild the rows, plan again inside the transaction and write them (bulk inserts,
  history rows, help-category links, the import and access records);
* a second import of the same file (everything unchanged), preview and confirm.

Peak memory is measured in a second, untimed pass with tracemalloc (Python allocations), and
the process's peak resident size is printed at the end.
"""

import io
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iwaki_support.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))

FAMILY = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "渡辺",
    "伊藤",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "髙橋",
    "﨑山",
]
FAMILY_KANA = [
    "サトウ",
    "スズキ",
    "タカハシ",
    "タナカ",
    "ワタナベ",
    "イトウ",
    "ヤマモト",
    "ナカムラ",
    "コバヤシ",
    "カトウ",
    "ヨシダ",
    "ヤマダ",
    "ササキ",
    "ヤマグチ",
    "マツモト",
    "イノウエ",
    "キムラ",
    "ハヤシ",
    "サイトウ",
    "シミズ",
    "タカハシ",
    "サキヤマ",
]
GIVEN = [
    "太郎",
    "花子",
    "一郎",
    "幸子",
    "健一",
    "恵子",
    "誠",
    "洋子",
    "博",
    "和子",
    "隆",
    "節子",
    "清",
    "京子",
    "茂",
    "美智子",
]
GIVEN_KANA = [
    "ﾀﾛｳ",
    "ﾊﾅｺ",
    "ｲﾁﾛｳ",
    "さちこ",
    "ケンイチ",
    "けいこ",
    "ﾏｺﾄ",
    "ようこ",
    "ヒロシ",
    "かずこ",
    "タカシ",
    "せつこ",
    "キヨシ",
    "きょうこ",
    "シゲル",
    "みちこ",
]


def make_rows(groups, categories, rows=ROWS):
    """Realistic rows: mixed kana widths, era and serial dates, category lists, unique names."""
    rnd = random.Random(2017)
    header = [
        "団体名",
        "氏名",
        "フリガナ",
        "電話番号",
        "住所",
        "生年月日",
        "登録日",
        "活動内容",
        "備考",
    ]
    body = []
    for i in range(rows):
        f, g = rnd.randrange(len(FAMILY)), rnd.randrange(len(GIVEN))
        group = groups[i % len(groups)]
        birth_year = rnd.randint(1935, 1975)
        birth = (
            f"S{birth_year - 1925}.{rnd.randint(1, 12)}.{rnd.randint(1, 28)}"
            if birth_year < 1989
            else f"H{birth_year - 1988}/{rnd.randint(1, 12)}/{rnd.randint(1, 28)}"
        )
        body.append(
            [
                group.district_label if i % 2 else group.name,
                f"{FAMILY[f]} {GIVEN[g]}{i}",
                f"{FAMILY_KANA[f]} {GIVEN_KANA[g]}",
                f"０２４６－{rnd.randint(10, 99)}－{rnd.randint(1000, 9999)}",
                f"いわき市平{rnd.randint(1, 30)}丁目{rnd.randint(1, 20)}-{rnd.randint(1, 9)}",
                birth,
                42917 + rnd.randint(0, 2000),
                "、".join(rnd.sample(categories, rnd.randint(0, 3))),
                "車あり" if rnd.random() < 0.1 else "",
            ]
        )
    return [["サポーター名簿（ベンチマーク用の架空データ）"], header, *body]


def xlsx_bytes(rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名簿")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("cp932")


def bare_read(data):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def preview(data, filename):
    from activities.imports import prepare
    from activities.models import SupportGroup

    result = prepare(data, filename=filename, allowed_groups=SupportGroup.objects.all())
    assert result.ok, result.errors[:5]
    payload = {"fields": result.fields, "entries": [e.to_json() for e in result.entries]}
    return result, payload, result.digest


def confirm(payload, digest, data, filename):
    from activities.imports import Entry, ImportPlan
    from activities.services import apply_import
    from core.spreadsheets import checksum

    result = ImportPlan(
        entries=[Entry.from_json(item) for item in payload["entries"]], fields=payload["fields"]
    )
    return apply_import(
        result,
        user=None,
        source="web",
        file_name=filename,
        file_checksum=checksum(data),
        expected_digest=digest,
    )


CPU = {}


def timed(function, *args):
    """Wall time; the process's CPU time of the call is kept in CPU[function] too, because on
    a shared machine the wall time also counts the time spent waiting for a core."""
    start, cpu = time.perf_counter(), time.process_time()
    value = function(*args)
    CPU[function] = time.process_time() - cpu
    return time.perf_counter() - start, value


def peak(function, *args):
    tracemalloc.start()
    function(*args)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 1024 / 1024


def clear():
    from activities.models import Supporter, SupporterImport
    from audit.models import AccessRecord

    Supporter.help_categories.through.objects.all().delete()
    Supporter.history.all().delete()
    Supporter.objects.all().delete()
    SupporterImport.objects.all().delete()
    AccessRecord.objects.all().delete()


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        # A file, as in production, rather than the test default of memory.
        connection.settings_dict["TEST"]["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        fixtures = sorted(str(p) for p in Path("fixtures/2017").glob("*.json"))
        call_command("loaddata", *fixtures, verbosity=0)
        run(connection.vendor)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(vendor):
    from activities.models import Supporter, SupportGroup
    from needs_survey.models import HelpCategory

    groups = list(SupportGroup.objects.select_related("council__area"))
    categories = list(HelpCategory.objects.values_list("name", flat=True))
    rows = make_rows(groups, categories)
    xlsx = xlsx_bytes(rows)
    files = [("xlsx", "bench.xlsx", xlsx), ("CSV cp932", "bench.csv", csv_bytes(rows))]
    baseline, count = timed(bare_read, xlsx)
    baseline_cpu = CPU[bare_read]
    assert count == ROWS + 2
    print(
        f"database: {vendor}; {ROWS:,} rows; xlsx {len(xlsx) / 1024:.0f} KB; load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"bare openpyxl read-only read of the xlsx: {baseline:.2f} s (CPU {baseline_cpu:.2f} s)\n"
    )
    print(
        "| file | step | time (s) | rows/s | × bare read | CPU (s) | CPU × bare read | peak Python memory (MB) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, filename, data in files:
        for attempt in ("first import", "same file again"):
            if attempt == "first import":
                clear()
            before = Supporter.objects.count()
            t_preview, (_, payload, digest) = timed(preview, data, filename)
            c_preview = CPU[preview]
            t_confirm, record = timed(confirm, payload, digest, data, filename)
            c_confirm = CPU[confirm]
            assert Supporter.objects.count() == ROWS
            assert (record.created, record.unchanged) == ((ROWS, 0) if before == 0 else (0, ROWS))
            total = t_preview + t_confirm
            for step, seconds, cpu in (
                ("preview", t_preview, c_preview),
                ("confirm", t_confirm, c_confirm),
            ):
                print(
                    f"| {label} | {attempt}: {step} | {seconds:.2f} | {ROWS / seconds:,.0f} "
                    f"| | {cpu:.2f} | | |"
                )
            # Memory in a second pass (tracemalloc slows Python down, so it is not timed).
            if attempt == "first import":
                clear()

            def both(data=data, filename=filename):
                _, payload, digest = preview(data, filename)
                confirm(payload, digest, data, filename)

            memory = peak(both)
            cpu = c_preview + c_confirm
            print(
                f"| {label} | **{attempt}: preview + confirm** | **{total:.2f}** | "
                f"**{ROWS / total:,.0f}** | **{total / baseline:.1f}×** | {cpu:.2f} | "
                f"{cpu / baseline_cpu:.1f}× | {memory:.0f} |"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident size of the whole benchmark process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
