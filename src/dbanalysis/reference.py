"""Domain knowledge the report does not state, in one place, each with its source.

These are not figures from the report and are never mixed up with them: formulas
name them with the prefix ``ref_`` (see :data:`FORMULA_NAMES`), and the audit and
the notebooks say so wherever they are used. Sources are cited from general
knowledge and were not checked against the documents from this machine.
"""

from __future__ import annotations

#: Criteria in the national set for new-rural communes (Decision 1980/QĐ-TTg of
#: 17 October 2016, 2016-2020 set): 19 criteria.
NATIONAL_NEW_RURAL_CRITERIA = 19
#: Upper bound for grain output per *sown* hectare (each crop season counts as sown
#: area separately). Vietnam's rice yield is about 5.8 t/ha per crop nationally and
#: about 7 t/ha in the best deltas (GSO); 8 t/ha leaves a margin.
MAX_GRAIN_TONNES_PER_SOWN_HA = 8
#: Plausible people per household. 2019 census: national mean 3.5; ethnic-minority
#: mountain districts are larger. Outside 2-7 a population or household count is odd.
HOUSEHOLD_SIZE_RANGE = (2, 7)
#: Vietnam's state budget revenue is roughly a quarter of GDP (MoF/GSO, 2019). A
#: district's *own* collections above this share of its industrial gross output
#: alone (a base much smaller than its GDP) suggest the total includes transfers.
OWN_REVENUE_SHARE_CEILING = 0.25

#: Constants a derivation formula may name.
FORMULA_NAMES = {"ref_national_new_rural_criteria": NATIONAL_NEW_RURAL_CRITERIA,
                 "ref_own_revenue_share_ceiling": OWN_REVENUE_SHARE_CEILING}
