"""
Placement proposals in the admin: journalists and editors propose a live or scheduled story
for a front ("Propose for a front"), and follow what became of their own proposals. Editors
place or dismiss them from the front's arranging page (fronts/admin.py).
"""

from django import forms
from django.contrib import admin

from . import services
from .models import CHANGE_PERMISSION, PROPOSE_PERMISSION, Placement, PlacementProposal


class ProposalForm(forms.ModelForm):
    class Meta:
        model = PlacementProposal
        fields = ["front", "article", "slot", "block_title", "note"]
        error_messages = {
            "front": {"required": "Choose the front this story is proposed for."},
            "article": {"required": "Choose the story to propose."},
        }


@admin.register(PlacementProposal)
class PlacementProposalAdmin(admin.ModelAdmin):
    form = ProposalForm
    list_display = ["article", "front", "where", "note", "proposed_by", "proposed_at", "state"]
    list_select_related = ["article", "front__section", "proposed_by"]
    list_filter = ["state", "front"]
    raw_id_fields = ["article"]
    closing_fields = ["proposed_by", "proposed_at", "state", "closed_by", "closed_at"]

    @admin.display(description="Where")
    def where(self, proposal):
        if proposal.slot == Placement.Slot.BLOCK:
            return f"Block “{proposal.block_title}”"
        return proposal.get_slot_display()

    def get_fields(self, request, obj=None):
        fields = list(ProposalForm._meta.fields)
        return fields if obj is None else [*fields, *self.closing_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.closing_fields

    def get_queryset(self, request):
        """
        Editors see every proposal; a journalist sees their own. Anyone else is refused by
        the permission checks, whatever the object.
        """
        proposals = super().get_queryset(request)
        user = request.user
        if user.has_perm(PROPOSE_PERMISSION) and not user.has_perm(CHANGE_PERMISSION):
            return proposals.filter(proposed_by=user)
        return proposals

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PROPOSE_PERMISSION) or request.user.has_perm(CHANGE_PERMISSION)

    def has_add_permission(self, request):
        return request.user.has_perm(PROPOSE_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        proposal = services.propose_placement(
            front=obj.front,
            article=obj.article,
            slot=obj.slot,
            block_title=obj.block_title,
            note=obj.note,
            proposer=request.user,
        )
        obj.pk, obj.proposed_by, obj.proposed_at = proposal.pk, request.user, proposal.proposed_at
