//! Who may call each route of the API, for the document's `x-roles` (and its
//! descriptions). tests/e2e/authz.rs checks every route against this table through the
//! real gateway, for every role, so the document cannot claim what the services refuse.

/// (method and path, roles that pass: `anonymous`, `visitor`, `front_office`,
/// `librarian`, `supervisor`, `admin`; staff act in their own office).
pub const ROLES: &[(&str, &[&str])] = &[
    ("GET /api/v1/admin/audit", &["admin"]),
    (
        "GET /api/v1/admin/offices/{code}/audit",
        &["supervisor", "admin"],
    ),
    (
        "GET /api/v1/admin/offices/{code}/staff",
        &["supervisor", "admin"],
    ),
    (
        "GET /api/v1/complaints",
        &[
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/complaints/{id}",
        &["front_office", "librarian", "supervisor", "admin"],
    ),
    (
        "GET /api/v1/documents/verify/{code}",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/me",
        &[
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/me/downloads",
        &[
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/me/tickets",
        &[
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/offices",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/offices/{office}/custody",
        &["front_office", "supervisor", "admin"],
    ),
    (
        "GET /api/v1/offices/{office}/floor",
        &["front_office", "supervisor", "admin"],
    ),
    (
        "GET /api/v1/offices/{office}/lockers",
        &["front_office", "supervisor", "admin"],
    ),
    (
        "GET /api/v1/offices/{office}/queue",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/offices/{office}/queue/stream",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/offices/{office}/reports/complaints",
        &["supervisor", "admin"],
    ),
    (
        "GET /api/v1/offices/{office}/reports/downloads",
        &["librarian", "supervisor", "admin"],
    ),
    (
        "GET /api/v1/offices/{office}/reports/ikm",
        &["supervisor", "admin"],
    ),
    (
        "GET /api/v1/offices/{office}/reports/reading-room",
        &["librarian", "supervisor", "admin"],
    ),
    (
        "GET /api/v1/offices/{office}/reports/service-time",
        &["supervisor", "admin"],
    ),
    (
        "GET /api/v1/offices/{office}/setup",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/publications",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/publications/export",
        &["front_office", "librarian", "supervisor", "admin"],
    ),
    (
        "GET /api/v1/publications/{id}",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/publications/{id}/download",
        &[
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/publications/{id}/history",
        &["front_office", "librarian", "supervisor", "admin"],
    ),
    (
        "GET /api/v1/publications/{id}/read",
        &[
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/skm/questionnaire",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/tickets/{id}",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "GET /api/v1/visits/{id}",
        &["front_office", "librarian", "supervisor", "admin"],
    ),
    ("PATCH /api/v1/admin/staff/{id}", &["admin"]),
    (
        "PATCH /api/v1/me",
        &[
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    ("PATCH /api/v1/publications/{id}", &["librarian", "admin"]),
    ("PATCH /api/v1/visits/{id}", &["front_office", "admin"]),
    ("POST /api/v1/admin/staff", &["admin"]),
    ("POST /api/v1/admin/staff/{id}/password-reset", &["admin"]),
    (
        "POST /api/v1/auth/login",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/auth/logout",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/auth/password-reset/confirm",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/auth/password-reset/request",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/auth/refresh",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/auth/register",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/auth/verify-email",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/auth/verify-email/resend",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/complaints",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/complaints/contact/confirm",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    (
        "POST /api/v1/complaints/{id}/responses",
        &["front_office", "librarian", "supervisor", "admin"],
    ),
    (
        "POST /api/v1/complaints/{id}/status",
        &["front_office", "librarian", "supervisor", "admin"],
    ),
    (
        "POST /api/v1/documents/verify",
        &["front_office", "librarian", "supervisor", "admin"],
    ),
    (
        "POST /api/v1/me/password",
        &[
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    ("POST /api/v1/me/visit-card", &["visitor"]),
    (
        "POST /api/v1/offices/{office}/counters/{counter}/call-next",
        &["front_office", "admin"],
    ),
    (
        "POST /api/v1/offices/{office}/tickets",
        &[
            "anonymous",
            "visitor",
            "front_office",
            "librarian",
            "supervisor",
            "admin",
        ],
    ),
    ("POST /api/v1/publications", &["librarian", "admin"]),
    ("POST /api/v1/publications/import", &["librarian", "admin"]),
    (
        "POST /api/v1/publications/{id}/document",
        &["librarian", "admin"],
    ),
    (
        "POST /api/v1/publications/{id}/holdings",
        &["librarian", "admin"],
    ),
    (
        "POST /api/v1/publications/{id}/reading-room-uses",
        &["visitor", "front_office", "librarian", "admin"],
    ),
    (
        "POST /api/v1/publications/{id}/withdraw",
        &["librarian", "admin"],
    ),
    ("POST /api/v1/skm/responses", &["anonymous", "visitor"]),
    (
        "POST /api/v1/tickets/{id}/finish",
        &["front_office", "admin"],
    ),
    (
        "POST /api/v1/tickets/{id}/recall",
        &["front_office", "admin"],
    ),
    ("POST /api/v1/tickets/{id}/skip", &["front_office", "admin"]),
    (
        "POST /api/v1/tickets/{id}/start",
        &["front_office", "admin"],
    ),
    (
        "POST /api/v1/tickets/{id}/transfer",
        &["front_office", "admin"],
    ),
    (
        "POST /api/v1/visits",
        &["anonymous", "visitor", "front_office", "admin"],
    ),
    (
        "POST /api/v1/visits/{id}/checkout",
        &["front_office", "admin"],
    ),
    (
        "POST /api/v1/visits/{id}/locker",
        &["front_office", "admin"],
    ),
    ("PUT /api/v1/admin/offices/{code}", &["admin"]),
    ("PUT /api/v1/admin/offices/{code}/setup", &["admin"]),
];
