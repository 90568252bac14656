"""Building a package in the test's own process, as a worker would (issue 18): order it, then run the
worker's build at once (package_tasks.run_build, the task's body). A build that fails raises the refusal
its order would have raised when packages were built in the request, so the tests of what may be
delivered read as before."""

from __future__ import annotations

from jikimi.audit.context import Actor
from jikimi.disclosure.actions.delivery import DeliveryRefused
from jikimi.disclosure.actions.package_jobs import PackageOrder, order_copy, order_provision
from jikimi.disclosure.actions.provision_delivery import HandoverRefused
from jikimi.disclosure.models import MaskingJob, PackageJob, ProvisionCase
from jikimi.disclosure.package_tasks import run_build


def _built(order: PackageOrder, refused: type[ValueError]) -> PackageOrder:
    run_build(order.build.pk)
    order.build.refresh_from_db()
    if order.build.state != PackageJob.State.READY:
        raise refused(order.build.error or order.build.get_state_display())
    return order


def prepare_copy(actor: Actor, job: MaskingJob) -> PackageOrder:
    return _built(order_copy(actor, job), DeliveryRefused)


def prepare_package(actor: Actor, case: ProvisionCase, *, original: bool = False) -> PackageOrder:
    return _built(order_provision(actor, case, original=original), HandoverRefused)
