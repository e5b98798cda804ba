"""Dispatch tickets to the department with the authority to act: TicketRouter and its report.

:class:`TicketRouter` learns from past tickets which department finally handled them
(the ``department`` column of ``clean_tickets(raw).tickets``) and suggests, for a new
ticket, the departments most likely to be right, with calibrated probabilities. The
duty list (权责清单, ``load_sample("departments")``) lets it suggest a department that
has few or no past tickets. :func:`dispatch_report` measures a dispatcher, human or
model: top-1 and top-k accuracy, macro-F1, the confusion matrix, the department pairs
most often mixed up (where the duty list itself may be unclear), and how many tickets
bounced before and would bounce with the router.
"""

from commlib.dispatch._report import (
    DispatchReport,
    dispatch_confusion_chart,
    dispatch_report,
    plot_dispatch_confusion,
)
from commlib.dispatch._report import (
    _suggestions as _suggestions,
)
from commlib.dispatch._router import (
    DUTY_ONLY_WEIGHT,
    TicketRouter,
)
from commlib.dispatch._router import (
    _as_2d_scores as _as_2d_scores,
)
from commlib.dispatch._router import (
    _duty_table as _duty_table,
)
from commlib.dispatch._router import (
    _fit_temperature as _fit_temperature,
)
from commlib.dispatch._router import (
    _softmax as _softmax,
)

# fitted routers pickle under the public path, as before the split
TicketRouter.__module__ = __name__
DispatchReport.__module__ = __name__

__all__ = [
    "DUTY_ONLY_WEIGHT",
    "DispatchReport",
    "TicketRouter",
    "dispatch_confusion_chart",
    "dispatch_report",
    "plot_dispatch_confusion",
]
