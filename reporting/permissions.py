"""Who may make reports and exports (registered with django-rules)."""

import rules

from portal.permissions import is_ministry_staff, is_procurement_officer

# Parliament reports are the ministry's: only ministry staff ask for them and read them.
rules.add_perm("reporting.generate_report", is_ministry_staff)
rules.add_perm("reporting.view_report", is_ministry_staff)
# Exports hold only what the person may see anyway; services.export_scope decides the rows.
rules.add_perm("reporting.export", is_ministry_staff | is_procurement_officer)
