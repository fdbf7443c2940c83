"""Create or update the login account of one of the coordinators (生活支援コーディネーター).

    manage.py coordinator_account 平地区協議会 --username taira-sc
    manage.py coordinator_account 平地区協議会 --no-password
    manage.py coordinator_account --list

A generated password is printed once and stored nowhere else. With --no-password the account
gets no usable password; an administrator sets one later (admin, or manage.py changepassword).
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import coordinator_model


class Command(BaseCommand):
    help = "生活支援コーディネーターのログインアカウントを作成・更新します。"

    def add_arguments(self, parser):
        parser.add_argument(
            "placement", nargs="?", help="配置場所 (例: 平地区協議会) または配置表の番号"
        )
        parser.add_argument("--username", help="ユーザー名 (省略時は現在のアカウント)")
        parser.add_argument("--email", default=None, help="メールアドレス")
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="パスワードを生成しない (後で管理者が設定する)",
        )
        parser.add_argument("--list", action="store_true", help="8つの配置とアカウントを表示")

    def handle(self, *args, placement, username, email, no_password, list, **options):
        if list:
            return self.list_accounts()
        if not placement:
            raise CommandError("配置場所を指定してください (一覧は --list)。")
        coordinator = self.find(placement)
        with transaction.atomic():
            user, created = self.account_for(coordinator, username)
            if email is not None:
                user.email = email
            password = None
            if no_password:
                if created or not user.has_usable_password():
                    user.set_unusable_password()
            else:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
            user.is_active = True
            user.save()
            coordinator.user = user
            coordinator.save(update_fields=["user"])

        verb = "作成しました" if created else "更新しました"
        self.stdout.write(
            f"{coordinator.placement} のアカウント「{user.get_username()}」を{verb}。"
        )
        if password:
            self.stdout.write(f"パスワード: {password}")
            self.stdout.write(
                "このパスワードは今回だけ表示します。本人に安全な方法で伝えてください。"
            )
        elif no_password and not user.has_usable_password():
            self.stdout.write(
                "パスワードは未設定です。管理画面または "
                f"`manage.py changepassword {user.get_username()}` で設定してください。"
            )
        return None

    def find(self, placement):
        coordinators = coordinator_model().objects.all()
        found = (
            coordinators.filter(number=int(placement)).first()
            if placement.isdigit()
            else coordinators.filter(placement=placement).first()
        )
        if found is None:
            names = "、".join(c.placement for c in coordinators)
            raise CommandError(f"「{placement}」という配置はありません。次のいずれかです: {names}")
        return found

    def account_for(self, coordinator, username):
        User = get_user_model()
        if not username:
            if coordinator.user is None:
                raise CommandError(
                    f"{coordinator.placement} にはまだアカウントがありません。--username を指定してください。"
                )
            return coordinator.user, False
        user, created = User.objects.get_or_create(username=username)
        other = coordinator_model().objects.filter(user=user).exclude(pk=coordinator.pk).first()
        if other is not None:
            raise CommandError(
                f"ユーザー「{username}」はすでに {other.placement} のアカウントです。"
            )
        if user.is_superuser:
            raise CommandError(
                f"ユーザー「{username}」は管理者です。別のユーザー名にしてください。"
            )
        if coordinator.user_id and coordinator.user_id != user.pk:
            self.stdout.write(
                f"これまでのアカウント「{coordinator.user.get_username()}」との連携を外します。"
            )
        return user, created

    def list_accounts(self):
        for coordinator in coordinator_model().objects.select_related("user"):
            account = coordinator.user.get_username() if coordinator.user else "(なし)"
            self.stdout.write(f"{coordinator.number}. {coordinator.placement}: {account}")
