#!/usr/bin/env python3
"""Print the `units:` tree of program_2018.yaml (An Giang province, 2018 layout).

One-off script, kept for provenance only; nothing imports or runs it at run time.

Source: the SQLite file ``data/dataset.db`` shipped in the PyPI package
``vietnamadminunits`` 1.0.4 (MIT licence, https://github.com/tranngocminhhieu/vietnamadminunits),
table ``admin_units_legacy`` (the pre-July-2025 layout: 11 district-level and 155 commune-level
units for An Giang, provinceCode '89').

That table describes An Giang as it stood just before July 2025. The program is of 2018, so the
script applies the corrections listed in CORRECTIONS below (each checked, where the package allows,
against its own ``wardAlias`` / ``districtAlias`` columns, which record earlier names):

* Phường Đông Xuyên (Long Xuyên) still existed in 2018; it was merged into Phường Mỹ Xuyên by a
  resolution of the Standing Committee of the National Assembly (UBTVQH) on the 2023–2025
  arrangement of An Giang's commune-level units, effective 01/01/2025. Its GSO code is not in the
  source, so it gets the placeholder code "LX-DX" (no GSO code is invented).
* Tịnh Biên was a huyện in 2018; Resolution 721/NQ-UBTVQH15 of 13/02/2023 (effective 10/04/2023)
  made it a thị xã and turned 3 thị trấn and 4 xã into phường. The same resolution made xã Đa Phước
  (An Phú) and xã Hội An (Chợ Mới) thị trấn.
* Xã Vĩnh Thạnh Trung (Châu Phú), Xã Cô Tô (Tri Tôn) and Xã Vĩnh Bình (Châu Thành) were made thị
  trấn by a UBTVQH resolution passed on 09/12/2020 (effective date not checked against the text,
  so no valid_to is set).
* "Phường Vĩnh Nguơn" is spelt "Vĩnh Ngươn" officially; "Thị Trấn" is written "Thị trấn".

Usage:
    python generate_units.py /path/to/vietnamadminunits/data/dataset.db > units.yaml
    python generate_units.py --raw /path/to/dataset.db     # the source as is, no corrections
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import Counter

PROVINCE_CODE = "89"
PROVINCE_NAME = "Tỉnh An Giang"

DISTRICT_KIND = {"Thành phố": "thanh_pho", "Thị xã": "thi_xa", "Huyện": "huyen"}
WARD_KIND = {"Phường": "phuong", "Xã": "xa", "Thị trấn": "thi_tran"}
KIND_PREFIX = {"phuong": "Phường", "xa": "Xã", "thi_tran": "Thị trấn", "huyen": "Huyện"}

R721 = "Nghị quyết số 721/NQ-UBTVQH15 ngày 13/02/2023 của Ủy ban Thường vụ Quốc hội, có hiệu lực từ ngày 10/04/2023"
R2020 = (
    "theo Nghị quyết của Ủy ban Thường vụ Quốc hội thông qua ngày 09/12/2020 "
    "(ngày có hiệu lực chưa được đối chiếu với văn bản gốc nên không ghi ngày hết hiệu lực)"
)

# District-level corrections: code -> (kind in 2018, name in 2018, valid_to, note, alias expected).
DISTRICT_2018 = {
    "890": (
        "huyen",
        "Huyện Tịnh Biên",
        "2023-04-09",
        "Năm 2018 là huyện Tịnh Biên. Trở thành thị xã Tịnh Biên theo " + R721 + "; "
        "thị xã Tịnh Biên dùng lại mã 890 trong danh mục của Tổng cục Thống kê.",
        "huyentinhbien",
    ),
}

# Commune-level corrections: code -> (kind in 2018, valid_to or None, note, alias expected).
WARD_2018 = {
    # Tịnh Biên: thị trấn -> phường (Resolution 721/NQ-UBTVQH15)
    "30502": (
        "thi_tran",
        "2023-04-09",
        "Năm 2018 là thị trấn Nhà Bàng; thành lập phường Nhà Bàng theo " + R721 + ".",
        "thitrannhabang",
    ),
    "30505": (
        "thi_tran",
        "2023-04-09",
        "Năm 2018 là thị trấn Chi Lăng; thành lập phường Chi Lăng theo " + R721 + ".",
        "thitranchilang",
    ),
    "30520": (
        "thi_tran",
        "2023-04-09",
        "Năm 2018 là thị trấn Tịnh Biên; thành lập phường Tịnh Biên theo " + R721 + ".",
        "thitrantinhbien",
    ),
    # Tịnh Biên: xã -> phường (Resolution 721/NQ-UBTVQH15)
    "30508": ("xa", "2023-04-09", "Năm 2018 là xã Núi Voi; thành lập phường Núi Voi theo " + R721 + ".", "xanuivoi"),
    # The package spells this alias "xanjonhung" (sic).
    "30511": (
        "xa",
        "2023-04-09",
        "Năm 2018 là xã Nhơn Hưng; thành lập phường Nhơn Hưng theo " + R721 + ".",
        "xanjonhung",
    ),
    "30514": ("xa", "2023-04-09", "Năm 2018 là xã An Phú; thành lập phường An Phú theo " + R721 + ".", "xaanphu"),
    "30517": ("xa", "2023-04-09", "Năm 2018 là xã Thới Sơn; thành lập phường Thới Sơn theo " + R721 + ".", "xathoison"),
    # xã -> thị trấn (Resolution 721/NQ-UBTVQH15)
    "30373": (
        "xa",
        "2023-04-09",
        "Năm 2018 là xã Đa Phước; thành lập thị trấn Đa Phước theo " + R721 + ".",
        "xadaphuoc",
    ),
    "30673": ("xa", "2023-04-09", "Năm 2018 là xã Hội An; thành lập thị trấn Hội An theo " + R721 + ".", "xahoian"),
    # xã -> thị trấn (UBTVQH resolution passed 09/12/2020)
    "30478": (
        "xa",
        None,
        "Năm 2018 là xã Vĩnh Thạnh Trung; thành lập thị trấn Vĩnh Thạnh Trung " + R2020 + ".",
        "xavinhthanhtrung",
    ),
    "30580": ("xa", None, "Năm 2018 là xã Cô Tô; thành lập thị trấn Cô Tô " + R2020 + ".", "xacoto"),
    "30604": ("xa", None, "Năm 2018 là xã Vĩnh Bình; thành lập thị trấn Vĩnh Bình " + R2020 + ".", "xavinhbinh"),
}

# Spelling fixes: code -> (name, note).
WARD_NAME_FIX = {
    "30328": (
        "Phường Vĩnh Ngươn",
        'Nguồn dữ liệu ghi "Phường Vĩnh Nguơn"; dùng cách viết chính thức "Vĩnh Ngươn".',
    ),
}

# Notes on units kept as they are.
WARD_NOTE = {
    "30286": "Từ ngày 01/01/2025 nhập thêm Phường Đông Xuyên (Nghị quyết của Ủy ban Thường vụ Quốc hội "
    "về sắp xếp đơn vị hành chính cấp xã giai đoạn 2023–2025 của tỉnh An Giang).",
}

# Units missing from the source, inserted after the given code.
INSERT_AFTER = {
    "30286": {
        "code": "LX-DX",
        "name": "Phường Đông Xuyên",
        "kind": "phuong",
        "valid_to": "2024-12-31",
        "note": "Mã đơn vị hành chính (GSO) của phường này không có trong nguồn dữ liệu nên không tự đặt; "
        '"LX-DX" là mã tạm. Phường Đông Xuyên nhập vào Phường Mỹ Xuyên theo Nghị quyết của Ủy ban '
        "Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã giai đoạn 2023–2025 của tỉnh An Giang, "
        "có hiệu lực từ ngày 01/01/2025.",
        "alias_of": ("30286", "phuongdongxuyen"),
    },
}

EXPECTED_2018 = {"districts": 11, "communes": 156, "xa": 119, "phuong": 21, "thi_tran": 16}


def load(db_path: str) -> list[sqlite3.Row]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    rows = con.execute(
        "SELECT province, district, ward, districtType, wardType, provinceCode, districtCode, "
        "wardCode, wardAlias, districtAlias, districtShort FROM admin_units_legacy "
        "WHERE provinceCode = ? ORDER BY CAST(districtCode AS INTEGER), CAST(wardCode AS INTEGER)",
        (PROVINCE_CODE,),
    ).fetchall()
    con.close()
    return rows


def aliases(value: str | None) -> list[str]:
    return json.loads(value) if value else []


def warn(msg: str) -> None:
    print(f"# WARNING: {msg}", file=sys.stderr)


def rename(name: str, kind: str) -> str:
    """Replace the kind prefix of a unit name ("Phường Nhà Bàng" -> "Thị trấn Nhà Bàng")."""
    for prefix in ("Thị trấn ", "Thị Trấn ", "Phường ", "Xã ", "Thị xã ", "Huyện ", "Thành phố "):
        if name.startswith(prefix):
            return KIND_PREFIX[kind] + " " + name[len(prefix) :]
    raise ValueError(name)


def build(rows: list[sqlite3.Row], correct: bool) -> dict:
    province = {"code": PROVINCE_CODE, "name": PROVINCE_NAME, "kind": "tinh", "children": []}
    districts: dict[str, dict] = {}
    for r in rows:
        dcode = r["districtCode"]
        if dcode not in districts:
            d = {
                "code": dcode,
                "name": r["district"],
                "short_name": r["districtShort"],
                "kind": DISTRICT_KIND[r["districtType"]],
                "children": [],
            }
            if correct and dcode in DISTRICT_2018:
                kind, name, valid_to, note, alias = DISTRICT_2018[dcode]
                if alias not in aliases(r["districtAlias"]):
                    warn(f"district {dcode}: alias {alias!r} not in source {r['districtAlias']}")
                d.update(name=name, kind=kind, valid_to=valid_to, note=note)
            districts[dcode] = d
            province["children"].append(d)
        wcode = r["wardCode"]
        w = {
            "code": wcode,
            "name": r["ward"].replace("Thị Trấn ", "Thị trấn "),
            "kind": WARD_KIND[r["wardType"]],
        }
        if correct:
            if wcode in WARD_2018:
                kind, valid_to, note, alias = WARD_2018[wcode]
                if alias not in aliases(r["wardAlias"]):
                    warn(f"ward {wcode}: alias {alias!r} not in source {r['wardAlias']}")
                w["name"] = rename(w["name"], kind)
                w["kind"] = kind
                if valid_to:
                    w["valid_to"] = valid_to
                w["note"] = note
            if wcode in WARD_NAME_FIX:
                w["name"], w["note"] = WARD_NAME_FIX[wcode]
            if wcode in WARD_NOTE:
                w["note"] = WARD_NOTE[wcode]
        if correct and r["wardAlias"] and wcode not in WARD_2018 and wcode not in INSERT_AFTER:
            warn(f"ward {wcode}: alias {r['wardAlias']} records an earlier name not handled here")
        if correct and r["districtAlias"] and dcode not in DISTRICT_2018:
            warn(f"district {dcode}: alias {r['districtAlias']} records an earlier name not handled here")
        districts[dcode]["children"].append(w)
        if correct and wcode in INSERT_AFTER:
            extra = dict(INSERT_AFTER[wcode])
            of_code, alias = extra.pop("alias_of")
            if alias not in aliases(r["wardAlias"]):
                warn(f"ward {of_code}: alias {alias!r} not in source {r['wardAlias']}")
            districts[dcode]["children"].append(extra)
    return province


def check(province: dict) -> None:
    districts = province["children"]
    communes = [w for d in districts for w in d["children"]]
    kinds = Counter(w["kind"] for w in communes)
    got = {
        "districts": len(districts),
        "communes": len(communes),
        **{k: kinds[k] for k in ("xa", "phuong", "thi_tran")},
    }
    if got != EXPECTED_2018:
        raise SystemExit(f"2018 layout check failed: {got} != {EXPECTED_2018}")
    codes = [province["code"]] + [d["code"] for d in districts] + [w["code"] for w in communes]
    if len(codes) != len(set(codes)):
        raise SystemExit("duplicate codes")


def q(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


# How a value is written: names and notes quoted; kinds and dates as they are.
PLAIN = ("kind", "valid_to")


def _mapping(unit: dict, keys: tuple[str, ...], *, first: str, rest: str) -> list[str]:
    """A unit's `keys`, then its valid_to and note where it has them, one line each; the first line
    starts with `first` (a list item's dash), the others with `rest`."""
    shown = [*keys, *(k for k in ("valid_to", "note") if unit.get(k))]
    return [f"{first if n == 0 else rest}{k}: {unit[k] if k in PLAIN else q(unit[k])}" for n, k in enumerate(shown)]


def emit(province: dict) -> str:
    out = ["units:", *_mapping(province, ("code", "name", "kind"), first="  ", rest="  "), "  children:"]
    for d in province["children"]:
        out += _mapping(d, ("code", "name", "short_name", "kind"), first="    - ", rest="      ")
        out.append("      children:")
        for w in d["children"]:
            if "note" not in w and "valid_to" not in w:
                out.append(f"        - {{code: {q(w['code'])}, name: {q(w['name'])}, kind: {w['kind']}}}")
            else:
                out += _mapping(w, ("code", "name", "kind"), first="        - ", rest="          ")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="path to vietnamadminunits/data/dataset.db")
    parser.add_argument("--raw", action="store_true", help="print the source layout without the 2018 corrections")
    args = parser.parse_args()
    province = build(load(args.db), correct=not args.raw)
    if not args.raw:
        check(province)
    sys.stdout.write(emit(province))


if __name__ == "__main__":
    main()
