//! The nine SKM elements of PermenPAN-RB No. 14/2017 with the regulation's questions and
//! answer scale (1-4), and the respondent profile it asks for.

pub struct ElementDef {
    pub code: &'static str,
    pub name: &'static str,
    pub question: &'static str,
    pub choices: [&'static str; 4],
}

pub const ELEMENTS: [ElementDef; 9] = [
    ElementDef {
        code: "U1",
        name: "Persyaratan",
        question: "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        choices: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    },
    ElementDef {
        code: "U2",
        name: "Sistem, mekanisme, dan prosedur",
        question: "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        choices: ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
    },
    ElementDef {
        code: "U3",
        name: "Waktu penyelesaian",
        question: "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        choices: ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
    },
    ElementDef {
        code: "U4",
        name: "Biaya/tarif",
        question: "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        choices: ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
    },
    ElementDef {
        code: "U5",
        name: "Produk spesifikasi jenis pelayanan",
        question: "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        choices: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    },
    ElementDef {
        code: "U6",
        name: "Kompetensi pelaksana",
        question: "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        choices: [
            "Tidak kompeten",
            "Kurang kompeten",
            "Kompeten",
            "Sangat kompeten",
        ],
    },
    ElementDef {
        code: "U7",
        name: "Perilaku pelaksana",
        question: "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        choices: [
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ],
    },
    ElementDef {
        code: "U8",
        name: "Penanganan pengaduan, saran dan masukan",
        question: "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        choices: [
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ],
    },
    ElementDef {
        code: "U9",
        name: "Sarana dan prasarana",
        question: "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        choices: ["Buruk", "Cukup", "Baik", "Sangat baik"],
    },
];

pub const SEXES: [&str; 2] = ["L", "P"];
pub const AGE_GROUPS: [&str; 6] = ["<20", "20-29", "30-39", "40-49", "50-59", "60+"];
pub const EDUCATION: [&str; 7] = ["SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3"];
pub const OCCUPATIONS: [&str; 7] = [
    "PNS",
    "TNI/POLRI",
    "Pegawai swasta",
    "Wiraswasta",
    "Pelajar/Mahasiswa",
    "Peneliti/Dosen",
    "Lainnya",
];
pub const INTEGRITY_QUESTIONS: [&str; 4] = [
    "Apakah petugas meminta biaya/imbalan di luar ketentuan?",
    "Apakah Saudara memberi atau ditawari gratifikasi/hadiah?",
    "Apakah petugas meminta fasilitas/balas jasa lain?",
    "Apakah Saudara merasa diperlakukan diskriminatif?",
];
