from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import path
from django.views.generic import DetailView

from ..models import Proposal


class ProposalDetailView(LoginRequiredMixin, DetailView):
    template_name = "proposals/detail.html"

    def get_queryset(self):
        return Proposal.objects.filter(
            company__memberships__user=self.request.user,
            company__memberships__role="applicant",
        )


urlpatterns = [path("<int:pk>/", ProposalDetailView.as_view(), name="detail")]
