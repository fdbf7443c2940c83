"""Keeping supporters' personal data out of the public directory.

An entry's contact is an organisation's or an office's, never a person's. The entry form
refuses a phone number, an address or a name that the supporter lists hold: a coordinator
who types a supporter's own number (the easiest mistake to make) is told why, before anything
is saved. The comparison is by digits for phones and by NFKC text without spaces for names
and addresses, so 0246-22-1111 and ０２４６２２１１１１ are the same number.
"""

import unicodedata

from activities.models import Supporter

# Fewer digits than this is not a phone number (a room number, an extension).
MIN_PHONE_DIGITS = 6


def phone_digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "") if ch.isdigit())


def plain_text(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def is_supporter_phone(phone: str) -> bool:
    digits = phone_digits(phone)
    if len(digits) < MIN_PHONE_DIGITS:
        return False
    phones = Supporter.objects.exclude(phone="").values_list("phone", flat=True)
    return any(phone_digits(known) == digits for known in phones.iterator(chunk_size=2000))


def is_supporter_address(address: str) -> bool:
    wanted = plain_text(address)
    if not wanted:
        return False
    addresses = Supporter.objects.exclude(address="").values_list("address", flat=True)
    return any(plain_text(known) == wanted for known in addresses.iterator(chunk_size=2000))


def is_supporter_name(name: str) -> bool:
    key = Supporter.normalise_name(name)
    return bool(key) and Supporter.objects.filter(name_key=key).exists()


PHONE_MESSAGE = (
    "この電話番号はサポーター名簿に個人の番号として登録されています。個人の連絡先は掲載できません。"
    "団体・事業所の番号を入力するか、問い合わせ先を「圏域の生活支援コーディネーター」にしてください。"
)
ADDRESS_MESSAGE = (
    "この住所はサポーター名簿に個人の住所として登録されています。個人の住所は掲載できません。"
    "公民館などの場所にするか、空欄にしてください。"
)
NAME_MESSAGE = (
    "この名前はサポーター名簿にある個人の氏名と同じです。個人の氏名は掲載できません。"
    "団体・事業所の名前を入力してください。"
)
