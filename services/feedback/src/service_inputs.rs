//! Wire messages → the use cases' inputs.

use pst_proto::feedback as pb;

use crate::service::{Answers, NewComplaint};

pub(crate) fn answers(r: pb::SubmitResponseRequest) -> Answers {
    let p = r.profile.unwrap_or_default();
    let i = r.integrity.unwrap_or_default();
    Answers {
        visit_id: r.visit_id,
        visit_code: r.visit_code,
        download_id: r.download_id,
        scores: r.scores.into_iter().map(|s| (s.element, s.value)).collect(),
        comment: r.comment,
        sex: p.sex,
        age_group: p.age_group,
        education: p.education,
        occupation: p.occupation,
        fee_asked: i.fee_asked,
        gratuity_offered: i.gratuity_offered,
        favour_asked: i.favour_asked,
        discrimination: i.discrimination,
    }
}

pub(crate) fn new_complaint(r: pb::CreateComplaintRequest) -> NewComplaint {
    NewComplaint {
        channel: r.channel,
        category: r.category,
        text: r.text,
        office: r.office_code,
        reference_kind: r.reference_kind,
        reference_id: r.reference_id,
        contact_email: r.contact_email,
        contact_name: r.contact_name,
    }
}
