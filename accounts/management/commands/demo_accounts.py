"""Create or refresh one local demo login per role, with fresh generated passwords.

For a developer's machine only: the passwords are printed once and exist nowhere else.
Running it again gives every demo account a new password.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import CITY_STAFF_GROUP, coordinator_model

# (username, role label, coordinator placement or None)
DEMO_ACCOUNTS = [
    ("demo-admin", "管理者", None),
    ("demo-staff", "市職員", None),
    ("demo-taira", "生活支援コーディネーター(平地区協議会)", "平地区協議会"),
    ("demo-onahama", "生活支援コーディネーター(小名浜地区協議会)", "小名浜地区協議会"),
    ("demo-honbu", "生活支援コーディネーター(社会福祉協議会本部・統括)", "社会福祉協議会本部"),
]


class Command(BaseCommand):
    help = "ローカル確認用のデモアカウントを役割ごとに作成し、生成したパスワードを表示します。"

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        staff_group, _ = Group.objects.get_or_create(name=CITY_STAFF_GROUP)
        lines = []
        for username, label, placement in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_superuser = user.is_staff = username == "demo-admin"
            user.save()
            if username == "demo-staff":
                user.groups.add(staff_group)
            if placement:
                coordinator = coordinator_model().objects.filter(placement=placement).first()
                if coordinator is None:
                    self.stderr.write(
                        f"{placement} が見つかりません。2017年のデータを先に読み込んでください。"
                    )
                    continue
                coordinator_model().objects.filter(user=user).exclude(pk=coordinator.pk).update(
                    user=None
                )
                coordinator.user = user
                coordinator.save(update_fields=["user"])
            lines.append(f"  {label:<40} ユーザー名 {username:<14} パスワード {password}")
        self.stdout.write("デモアカウント (このマシンでの確認用。パスワードは今回だけ表示します):")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("http://127.0.0.1:8000/ でログインしてください。")
