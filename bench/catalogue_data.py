#!/usr/bin/env python3
"""Test data for bench/catalogue.sh, deterministic by --seed (Python 3.11 standard library).

Writes into --out:
  publications.copy      N publications, COPY text format (tab separated, \\N = null), for
                         \\copy publications (COPY_COLUMNS) FROM 'publications.copy'
  queries.json           per query class K distinct queries (default 100): the request path,
                         what a correct answer is, and the naive SQL of the same search
  paths_<class>.txt      the request paths of one class, one a line (read by the wrk script)
  naive.sql              every naive query once, between markers, for one psql session
  import.csv             10,000 valid rows of office 1674 in the import's columns
  import_NN.csv          the same rows in the fewest chunks the import allows (at most
                         MAX_ROWS rows and CHUNK_BYTES bytes each, header in every chunk)

The publications: 514 offices (every Indonesian kabupaten/kota with its BPS code; 1674 is
Kota Lubuklinggau), BPS-style titles from 67 templates (58 Indonesian, 9 English: about 8 %
of the titles; the "Dalam Angka" books bilingual, id-en), years 2005-2025 with recent years more frequent, subjects
of kit/src/subjects.rs matching each template, abstracts of 40-80 words built from many
sentence templates with Zipf-like word choice, 2-5 keywords, access mostly public.

  python3 bench/catalogue_data.py --n 200000 --seed 1674 --out /tmp/x
"""

import argparse
import bisect
import collections
import csv
import io
import itertools
import json
import os
import random
import re
import sys
import urllib.parse
import uuid

# The columns loaded by \copy (the rest take their defaults; `search` is generated).
COPY_COLUMNS = ("id, office_code, title, subtitle, subject, subject_group, language, year_from, "
                "year_to, abstract, keywords, keywords_text, access_level, has_printed")
# The import's columns: kit/src/csv.rs PUBLICATION_COLUMNS (csv_io.rs COLUMNS).
IMPORT_COLUMNS = ["office_code", "title", "subtitle", "catalogue_number", "publication_number",
                  "issn", "isbn", "release_date", "year_from", "year_to", "subject", "language",
                  "pages", "abstract", "keywords", "access_level"]
MAX_ROWS = 10_000            # csv_io::MAX_ROWS: more rows in one file are refused whole
IMPORT_LIMIT = 4 * 1024 * 1024  # gateway routes/catalogue/csv.rs IMPORT_LIMIT (request body)
# Below IMPORT_LIMIT with room for the gRPC message around the CSV: the catalogue's gRPC
# server keeps tonic's default 4 MiB decoding limit.
CHUNK_BYTES = 4_000_000
HOME_OFFICE = "1674"
CLASSES = ["topic_region", "common_word", "title_typos", "fragment_typo", "office_year", "odd_input"]
# The kinds of odd input the search must answer normally (issue #14's "bad input").
ODD_KINDS = ["long", "punctuation", "stop_words", "mixed_scripts", "one_letter", "like_wildcards",
             "operators"]
TYPO_KINDS = ["deletion", "transposition", "substitution", "insertion"]
YEARS = list(range(2005, 2026))

# kit/src/subjects.rs: subject code -> group code.
SUBJECT_GROUP = {}
for _g, _codes in {
    "sosial": "agama gender geografi kemiskinan kependudukan kesehatan konsumsi pemerintahan "
              "pendidikan perumahan politik sosial_budaya tenaga_kerja",
    "ekonomi": "energi harga_produsen industri inflasi keuangan komunikasi konstruksi "
               "neraca_nasional pariwisata perdagangan transportasi upah",
    "pertanian": "hortikultura kehutanan lingkungan_hidup perikanan perkebunan pertambangan "
                 "peternakan tanaman_pangan",
}.items():
    for _c in _codes.split():
        SUBJECT_GROUP[_c] = _g

# ---------------------------------------------------------------------------------------
# Regions: every kabupaten/kota with its BPS code (province 2 digits + 2 digits; 71-79 are
# kota). Names as BPS spells them today (e.g. Toba, Pasangkayu, Kepulauan Tanimbar).
REGIONS_TEXT = """
1101 Simeulue; 1102 Aceh Singkil; 1103 Aceh Selatan; 1104 Aceh Tenggara; 1105 Aceh Timur;
1106 Aceh Tengah; 1107 Aceh Barat; 1108 Aceh Besar; 1109 Pidie; 1110 Bireuen; 1111 Aceh Utara;
1112 Aceh Barat Daya; 1113 Gayo Lues; 1114 Aceh Tamiang; 1115 Nagan Raya; 1116 Aceh Jaya;
1117 Bener Meriah; 1118 Pidie Jaya; 1171 Banda Aceh; 1172 Sabang; 1173 Langsa; 1174 Lhokseumawe;
1175 Subulussalam;
1201 Nias; 1202 Mandailing Natal; 1203 Tapanuli Selatan; 1204 Tapanuli Tengah; 1205 Tapanuli Utara;
1206 Toba; 1207 Labuhanbatu; 1208 Asahan; 1209 Simalungun; 1210 Dairi; 1211 Karo; 1212 Deli Serdang;
1213 Langkat; 1214 Nias Selatan; 1215 Humbang Hasundutan; 1216 Pakpak Bharat; 1217 Samosir;
1218 Serdang Bedagai; 1219 Batu Bara; 1220 Padang Lawas Utara; 1221 Padang Lawas;
1222 Labuhanbatu Selatan; 1223 Labuhanbatu Utara; 1224 Nias Utara; 1225 Nias Barat; 1271 Sibolga;
1272 Tanjungbalai; 1273 Pematangsiantar; 1274 Tebing Tinggi; 1275 Medan; 1276 Binjai;
1277 Padangsidimpuan; 1278 Gunungsitoli;
1301 Kepulauan Mentawai; 1302 Pesisir Selatan; 1303 Solok; 1304 Sijunjung; 1305 Tanah Datar;
1306 Padang Pariaman; 1307 Agam; 1308 Lima Puluh Kota; 1309 Pasaman; 1310 Solok Selatan;
1311 Dharmasraya; 1312 Pasaman Barat; 1371 Padang; 1372 Solok; 1373 Sawahlunto; 1374 Padang Panjang;
1375 Bukittinggi; 1376 Payakumbuh; 1377 Pariaman;
1401 Kuantan Singingi; 1402 Indragiri Hulu; 1403 Indragiri Hilir; 1404 Pelalawan; 1405 Siak;
1406 Kampar; 1407 Rokan Hulu; 1408 Bengkalis; 1409 Rokan Hilir; 1410 Kepulauan Meranti;
1471 Pekanbaru; 1473 Dumai;
1501 Kerinci; 1502 Merangin; 1503 Sarolangun; 1504 Batanghari; 1505 Muaro Jambi;
1506 Tanjung Jabung Timur; 1507 Tanjung Jabung Barat; 1508 Tebo; 1509 Bungo; 1571 Jambi;
1572 Sungai Penuh;
1601 Ogan Komering Ulu; 1602 Ogan Komering Ilir; 1603 Muara Enim; 1604 Lahat; 1605 Musi Rawas;
1606 Musi Banyuasin; 1607 Banyuasin; 1608 Ogan Komering Ulu Selatan; 1609 Ogan Komering Ulu Timur;
1610 Ogan Ilir; 1611 Empat Lawang; 1612 Penukal Abab Lematang Ilir; 1613 Musi Rawas Utara;
1671 Palembang; 1672 Prabumulih; 1673 Pagar Alam; 1674 Lubuklinggau;
1701 Bengkulu Selatan; 1702 Rejang Lebong; 1703 Bengkulu Utara; 1704 Kaur; 1705 Seluma;
1706 Mukomuko; 1707 Lebong; 1708 Kepahiang; 1709 Bengkulu Tengah; 1771 Bengkulu;
1801 Lampung Barat; 1802 Tanggamus; 1803 Lampung Selatan; 1804 Lampung Timur; 1805 Lampung Tengah;
1806 Lampung Utara; 1807 Way Kanan; 1808 Tulang Bawang; 1809 Pesawaran; 1810 Pringsewu;
1811 Mesuji; 1812 Tulang Bawang Barat; 1813 Pesisir Barat; 1871 Bandar Lampung; 1872 Metro;
1901 Bangka; 1902 Belitung; 1903 Bangka Barat; 1904 Bangka Tengah; 1905 Bangka Selatan;
1906 Belitung Timur; 1971 Pangkalpinang;
2101 Karimun; 2102 Bintan; 2103 Natuna; 2104 Lingga; 2105 Kepulauan Anambas; 2171 Batam;
2172 Tanjungpinang;
3101 Kepulauan Seribu; 3171 Jakarta Selatan; 3172 Jakarta Timur; 3173 Jakarta Pusat;
3174 Jakarta Barat; 3175 Jakarta Utara;
3201 Bogor; 3202 Sukabumi; 3203 Cianjur; 3204 Bandung; 3205 Garut; 3206 Tasikmalaya; 3207 Ciamis;
3208 Kuningan; 3209 Cirebon; 3210 Majalengka; 3211 Sumedang; 3212 Indramayu; 3213 Subang;
3214 Purwakarta; 3215 Karawang; 3216 Bekasi; 3217 Bandung Barat; 3218 Pangandaran; 3271 Bogor;
3272 Sukabumi; 3273 Bandung; 3274 Cirebon; 3275 Bekasi; 3276 Depok; 3277 Cimahi; 3278 Tasikmalaya;
3279 Banjar;
3301 Cilacap; 3302 Banyumas; 3303 Purbalingga; 3304 Banjarnegara; 3305 Kebumen; 3306 Purworejo;
3307 Wonosobo; 3308 Magelang; 3309 Boyolali; 3310 Klaten; 3311 Sukoharjo; 3312 Wonogiri;
3313 Karanganyar; 3314 Sragen; 3315 Grobogan; 3316 Blora; 3317 Rembang; 3318 Pati; 3319 Kudus;
3320 Jepara; 3321 Demak; 3322 Semarang; 3323 Temanggung; 3324 Kendal; 3325 Batang; 3326 Pekalongan;
3327 Pemalang; 3328 Tegal; 3329 Brebes; 3371 Magelang; 3372 Surakarta; 3373 Salatiga;
3374 Semarang; 3375 Pekalongan; 3376 Tegal;
3401 Kulon Progo; 3402 Bantul; 3403 Gunungkidul; 3404 Sleman; 3471 Yogyakarta;
3501 Pacitan; 3502 Ponorogo; 3503 Trenggalek; 3504 Tulungagung; 3505 Blitar; 3506 Kediri;
3507 Malang; 3508 Lumajang; 3509 Jember; 3510 Banyuwangi; 3511 Bondowoso; 3512 Situbondo;
3513 Probolinggo; 3514 Pasuruan; 3515 Sidoarjo; 3516 Mojokerto; 3517 Jombang; 3518 Nganjuk;
3519 Madiun; 3520 Magetan; 3521 Ngawi; 3522 Bojonegoro; 3523 Tuban; 3524 Lamongan; 3525 Gresik;
3526 Bangkalan; 3527 Sampang; 3528 Pamekasan; 3529 Sumenep; 3571 Kediri; 3572 Blitar; 3573 Malang;
3574 Probolinggo; 3575 Pasuruan; 3576 Mojokerto; 3577 Madiun; 3578 Surabaya; 3579 Batu;
3601 Pandeglang; 3602 Lebak; 3603 Tangerang; 3604 Serang; 3671 Tangerang; 3672 Cilegon;
3673 Serang; 3674 Tangerang Selatan;
5101 Jembrana; 5102 Tabanan; 5103 Badung; 5104 Gianyar; 5105 Klungkung; 5106 Bangli;
5107 Karangasem; 5108 Buleleng; 5171 Denpasar;
5201 Lombok Barat; 5202 Lombok Tengah; 5203 Lombok Timur; 5204 Sumbawa; 5205 Dompu; 5206 Bima;
5207 Sumbawa Barat; 5208 Lombok Utara; 5271 Mataram; 5272 Bima;
5301 Sumba Barat; 5302 Sumba Timur; 5303 Kupang; 5304 Timor Tengah Selatan; 5305 Timor Tengah Utara;
5306 Belu; 5307 Alor; 5308 Lembata; 5309 Flores Timur; 5310 Sikka; 5311 Ende; 5312 Ngada;
5313 Manggarai; 5314 Rote Ndao; 5315 Manggarai Barat; 5316 Sumba Tengah; 5317 Sumba Barat Daya;
5318 Nagekeo; 5319 Manggarai Timur; 5320 Sabu Raijua; 5321 Malaka; 5371 Kupang;
6101 Sambas; 6102 Bengkayang; 6103 Landak; 6104 Mempawah; 6105 Sanggau; 6106 Ketapang;
6107 Sintang; 6108 Kapuas Hulu; 6109 Sekadau; 6110 Melawi; 6111 Kayong Utara; 6112 Kubu Raya;
6171 Pontianak; 6172 Singkawang;
6201 Kotawaringin Barat; 6202 Kotawaringin Timur; 6203 Kapuas; 6204 Barito Selatan;
6205 Barito Utara; 6206 Sukamara; 6207 Lamandau; 6208 Seruyan; 6209 Katingan; 6210 Pulang Pisau;
6211 Gunung Mas; 6212 Barito Timur; 6213 Murung Raya; 6271 Palangka Raya;
6301 Tanah Laut; 6302 Kotabaru; 6303 Banjar; 6304 Barito Kuala; 6305 Tapin;
6306 Hulu Sungai Selatan; 6307 Hulu Sungai Tengah; 6308 Hulu Sungai Utara; 6309 Tabalong;
6310 Tanah Bumbu; 6311 Balangan; 6371 Banjarmasin; 6372 Banjarbaru;
6401 Paser; 6402 Kutai Barat; 6403 Kutai Kartanegara; 6404 Kutai Timur; 6405 Berau;
6409 Penajam Paser Utara; 6411 Mahakam Ulu; 6471 Balikpapan; 6472 Samarinda; 6474 Bontang;
6501 Malinau; 6502 Bulungan; 6503 Tana Tidung; 6504 Nunukan; 6571 Tarakan;
7101 Bolaang Mongondow; 7102 Minahasa; 7103 Kepulauan Sangihe; 7104 Kepulauan Talaud;
7105 Minahasa Selatan; 7106 Minahasa Utara; 7107 Bolaang Mongondow Utara;
7108 Siau Tagulandang Biaro; 7109 Minahasa Tenggara; 7110 Bolaang Mongondow Selatan;
7111 Bolaang Mongondow Timur; 7171 Manado; 7172 Bitung; 7173 Tomohon; 7174 Kotamobagu;
7201 Banggai Kepulauan; 7202 Banggai; 7203 Morowali; 7204 Poso; 7205 Donggala; 7206 Tolitoli;
7207 Buol; 7208 Parigi Moutong; 7209 Tojo Una-Una; 7210 Sigi; 7211 Banggai Laut;
7212 Morowali Utara; 7271 Palu;
7301 Kepulauan Selayar; 7302 Bulukumba; 7303 Bantaeng; 7304 Jeneponto; 7305 Takalar; 7306 Gowa;
7307 Sinjai; 7308 Maros; 7309 Pangkajene dan Kepulauan; 7310 Barru; 7311 Bone; 7312 Soppeng;
7313 Wajo; 7314 Sidenreng Rappang; 7315 Pinrang; 7316 Enrekang; 7317 Luwu; 7318 Tana Toraja;
7322 Luwu Utara; 7325 Luwu Timur; 7326 Toraja Utara; 7371 Makassar; 7372 Parepare; 7373 Palopo;
7401 Buton; 7402 Muna; 7403 Konawe; 7404 Kolaka; 7405 Konawe Selatan; 7406 Bombana;
7407 Wakatobi; 7408 Kolaka Utara; 7409 Buton Utara; 7410 Konawe Utara; 7411 Kolaka Timur;
7412 Konawe Kepulauan; 7413 Muna Barat; 7414 Buton Tengah; 7415 Buton Selatan; 7471 Kendari;
7472 Baubau;
7501 Boalemo; 7502 Gorontalo; 7503 Pohuwato; 7504 Bone Bolango; 7505 Gorontalo Utara;
7571 Gorontalo;
7601 Majene; 7602 Polewali Mandar; 7603 Mamasa; 7604 Mamuju; 7605 Pasangkayu; 7606 Mamuju Tengah;
8101 Kepulauan Tanimbar; 8102 Maluku Tenggara; 8103 Maluku Tengah; 8104 Buru; 8105 Kepulauan Aru;
8106 Seram Bagian Barat; 8107 Seram Bagian Timur; 8108 Maluku Barat Daya; 8109 Buru Selatan;
8171 Ambon; 8172 Tual;
8201 Halmahera Barat; 8202 Halmahera Tengah; 8203 Kepulauan Sula; 8204 Halmahera Selatan;
8205 Halmahera Utara; 8206 Halmahera Timur; 8207 Pulau Morotai; 8208 Pulau Taliabu; 8271 Ternate;
8272 Tidore Kepulauan;
9101 Fakfak; 9102 Kaimana; 9103 Teluk Wondama; 9104 Teluk Bintuni; 9105 Manokwari;
9106 Sorong Selatan; 9107 Sorong; 9108 Raja Ampat; 9109 Tambrauw; 9110 Maybrat;
9111 Manokwari Selatan; 9112 Pegunungan Arfak; 9171 Sorong;
9401 Merauke; 9402 Jayawijaya; 9403 Jayapura; 9404 Nabire; 9408 Kepulauan Yapen; 9409 Biak Numfor;
9410 Paniai; 9411 Puncak Jaya; 9412 Mimika; 9413 Boven Digoel; 9414 Mappi; 9415 Asmat;
9416 Yahukimo; 9417 Pegunungan Bintang; 9418 Tolikara; 9419 Sarmi; 9420 Keerom; 9426 Waropen;
9427 Supiori; 9428 Mamberamo Raya; 9429 Nduga; 9430 Lanny Jaya; 9431 Mamberamo Tengah;
9432 Yalimo; 9433 Puncak; 9434 Dogiyai; 9435 Intan Jaya; 9436 Deiyai; 9471 Jayapura;
"""

# Real kecamatan names (many occur in several regencies); given to regions at random, except
# Lubuklinggau's own eight.
KECAMATAN_POOL = """
Sukajadi; Sukamaju; Sukaraja; Sukamulya; Sukarame; Sukadana; Sukasari; Kedaton; Kemiling;
Tanjung Raja; Tanjung Batu; Sungai Lilin; Sungai Rotan; Muara Beliti; Muara Kelingi;
Muara Lakitan; Tugumulyo; Purwodadi; Jatinegara; Cempaka; Kebayoran Baru; Cilandak; Menteng;
Tanah Abang; Gambir; Ciputat; Pamulang; Serpong; Cibinong; Cileungsi; Ciawi; Cisarua; Ciampea;
Leuwiliang; Jonggol; Parung; Dramaga; Ciomas; Pangalengan; Soreang; Banjaran; Majalaya;
Dayeuhkolot; Baleendah; Cicalengka; Rancaekek; Ciparay; Lembang; Padalarang; Ngamprah;
Wonosari; Playen; Semin; Karangmojo; Mlati; Gamping; Ngaglik; Kalasan; Prambanan; Sewon;
Kasihan; Imogiri; Pundong; Sedayu; Kretek; Wates; Sentolo; Kokap; Temon; Gondokusuman;
Umbulharjo; Kotagede; Mergangsan; Jetis; Tegalrejo; Candisari; Banyumanik; Gajahmungkur;
Tembalang; Pedurungan; Genuk; Gayamsari; Ungaran Barat; Ungaran Timur; Ambarawa; Bawen;
Tuntang; Kartasura; Grogol; Baki; Mojolaban; Polokarto; Colomadu; Gondangrejo; Jaten;
Tasikmadu; Lowokwaru; Klojen; Blimbing; Sukun; Kedungkandang; Singosari; Lawang; Pakis;
Tumpang; Junrejo; Bumiaji; Waru; Taman; Krian; Porong; Gedangan; Buduran; Sedati;
Tanggulangin; Medan Baru; Medan Johor; Medan Sunggal; Medan Tembung; Percut Sei Tuan;
Lubuk Pakam; Tanjung Morawa; Pancur Batu; Sunggal; Kabanjahe; Berastagi; Sidikalang; Balige;
Laguboti; Porsea; Tarutung; Sipirok; Panyabungan; Kotanopan; Koto Tangah; Lubuk Begalung;
Pauh; Lubuk Kilangan; Batang Anai; Lubuk Alung; Sungai Limau; Lima Kaum; Rambatan; Batipuh;
Kubung; Gunung Talang; Bukit Raya; Marpoyan Damai; Tampan; Rumbai; Senapelan; Bangkinang;
Siak Hulu; Tapung; Kuok; Kemuning; Kalidoni; Sako; Plaju; Sukarami; Alang-Alang Lebar;
Kertapati; Gandus; Merapi Barat; Pulau Pinang; Kikim Timur; Tanjung Sakti; Talang Kelapa;
Betung; Rambutan; Sungai Raya; Sungai Kakap; Rasau Jaya; Pemangkat; Tebas; Nanga Pinoh;
Putussibau Utara; Martapura; Gambut; Kertak Hanyar; Pelaihari; Samarinda Ulu; Sungai Kunjang;
Tenggarong; Loa Janan; Sangatta Utara; Tanjung Redeb; Tanjung Selor; Wenang; Tikala;
Malalayang; Tondano Barat; Airmadidi; Amurang; Tahuna; Luwuk; Banawa; Tamalate; Rappocini;
Panakkukang; Biringkanaya; Somba Opu; Pallangga; Bontonompo; Turikale; Tanete Riattang;
Sengkang; Makale; Rantepao; Poasia; Unaaha; Limboto; Tilamuta; Marisa; Kuta; Kuta Selatan;
Mengwi; Abiansemal; Ubud; Sukawati; Seririt; Ampenan; Cakranegara; Gerung; Narmada; Praya;
Selong; Woha; Maulafa; Oebobo; Kelapa Lima; Soe; Kefamenanu; Atambua; Kalabahi; Larantuka;
Maumere; Bajawa; Ruteng; Komodo; Waingapu; Sirimau; Nusaniwe; Baguala; Masohi; Namlea;
Tobelo; Jailolo; Oba Utara; Abepura; Heram; Sentani; Wamena; Mimika Baru; Biak Kota;
Manokwari Barat; Sorong Manoi; Aimas
"""
LUBUKLINGGAU_KECAMATAN = ["Lubuklinggau Barat I", "Lubuklinggau Barat II", "Lubuklinggau Selatan I",
                          "Lubuklinggau Selatan II", "Lubuklinggau Timur I", "Lubuklinggau Timur II",
                          "Lubuklinggau Utara I", "Lubuklinggau Utara II"]

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
QUARTERS = ["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV"]


class Region:
    __slots__ = ("code", "name", "kota", "kecamatan", "weight")

    def __init__(self, code, name):
        self.code = code
        self.name = name
        self.kota = int(code[2:]) >= 71
        self.kecamatan = []
        self.weight = 1.0

    def label(self):
        return ("Kota " if self.kota else "Kabupaten ") + self.name

    def label_en(self, year):
        if not self.kota:
            return self.name + " Regency"
        return self.name + (" Municipality" if year < 2016 else " City")


def parse_regions():
    out = []
    for item in REGIONS_TEXT.replace("\n", " ").split(";"):
        item = item.strip()
        if item:
            code, name = item.split(" ", 1)
            out.append(Region(code, name.strip()))
    return out


# ---------------------------------------------------------------------------------------
# Title templates. Placeholders: {R} "Kabupaten X"/"Kota X" (sometimes bare "X"), {E} the
# English label ("X Regency"), {y} the title's year, {y1}-{y2} a range, {m} a month, {q} a
# quarter, {kec} a kecamatan. `years`: "same" (data of the title's year), "prev" (the "Dalam
# Angka" books: data of the year before), "range" ({y1}-{y2}). `topics`: phrases of the title
# a user would search for; `frag`: single topic words for the fragment queries.

class Template:
    def __init__(self, pattern, subjects, weight, topics, frag=(), lang="id", years="same",
                 subtitle=None, region_in_title=True):
        self.pattern = pattern
        self.subjects = subjects.split()
        self.weight = weight
        self.topics = topics
        self.frag = list(frag)
        self.lang = lang
        self.years = years
        self.subtitle = subtitle
        self.region_in_title = region_in_title
        self.variant = ("kec" if "{kec}" in pattern else "m" if "{m}" in pattern
                        else "q" if "{q}" in pattern else None)


T = Template
TEMPLATES = [
    T("{R} Dalam Angka {y}", "kependudukan pemerintahan geografi", 9, ["dalam angka"], [],
      lang="id-en", years="prev", subtitle="{E} in Figures {y}"),
    T("Kecamatan {kec} Dalam Angka {y}", "pemerintahan geografi", 8, ["dalam angka"],
      years="prev", region_in_title=False),
    T("Statistik Daerah {R} {y}", "kependudukan pemerintahan", 5, ["statistik daerah"]),
    T("Statistik Daerah Kecamatan {kec} {y}", "pemerintahan", 2, ["statistik daerah"],
      region_in_title=False),
    T("Indeks Pembangunan Manusia {R} {y}", "pendidikan kesehatan", 4,
      ["indeks pembangunan manusia", "pembangunan manusia"], ["pembangunan"]),
    T("Produk Domestik Regional Bruto {R} Menurut Lapangan Usaha {y1}-{y2}", "neraca_nasional", 4,
      ["produk domestik regional bruto", "lapangan usaha", "regional bruto"], ["domestik", "regional"],
      years="range"),
    T("Produk Domestik Regional Bruto {R} Menurut Pengeluaran {y1}-{y2}", "neraca_nasional", 2,
      ["produk domestik regional", "pengeluaran"], ["domestik"], years="range"),
    T("Profil Kemiskinan {R} Maret {y}", "kemiskinan", 3, ["profil kemiskinan", "kemiskinan"],
      ["kemiskinan"]),
    T("Profil Kemiskinan {R} {y}", "kemiskinan", 2, ["profil kemiskinan", "kemiskinan"], ["kemiskinan"]),
    T("Analisis Ketimpangan Pengeluaran Penduduk {R} {y}", "kemiskinan konsumsi", 1,
      ["ketimpangan pengeluaran", "ketimpangan"], ["ketimpangan"]),
    T("Keadaan Angkatan Kerja {R} Agustus {y}", "tenaga_kerja", 3,
      ["angkatan kerja", "keadaan angkatan kerja"], ["angkatan"]),
    T("Indikator Pasar Tenaga Kerja {R} {y}", "tenaga_kerja", 1, ["pasar tenaga kerja", "tenaga kerja"],
      ["tenaga"]),
    T("Statistik Harga Produsen Gabah {R} {y}", "harga_produsen", 2,
      ["harga produsen gabah", "harga gabah"], ["gabah", "produsen"]),
    T("Nilai Tukar Petani {R} {y}", "harga_produsen", 1, ["nilai tukar petani", "tukar petani"], ["petani"]),
    T("Hasil Survei Sosial Ekonomi Nasional {R} {y}", "konsumsi kemiskinan", 2,
      ["survei sosial ekonomi", "sosial ekonomi nasional"], ["survei"]),
    T("Pengeluaran untuk Konsumsi Penduduk {R} {y}", "konsumsi", 2, ["konsumsi penduduk", "pengeluaran konsumsi"],
      ["konsumsi"]),
    T("Analisis Hasil Survei Kebutuhan Data {R} {y}", "pemerintahan", 1, ["kebutuhan data", "survei kebutuhan data"]),
    T("Analisis Isu Terkini {R} {y}", "pemerintahan", 1, ["isu terkini"], ["terkini"]),
    T("Berita Resmi Statistik Inflasi {R} {m} {y}", "inflasi", 4, ["berita resmi statistik inflasi", "inflasi"],
      ["inflasi"]),
    T("Berita Resmi Statistik Nilai Tukar Petani {R} {m} {y}", "harga_produsen", 2,
      ["berita resmi statistik", "nilai tukar petani"], ["petani"]),
    T("Berita Resmi Statistik Pariwisata {R} {m} {y}", "pariwisata", 1, ["berita resmi statistik pariwisata"],
      ["pariwisata"]),
    T("Statistik Kesejahteraan Rakyat {R} {y}", "konsumsi kemiskinan", 3,
      ["kesejahteraan rakyat", "statistik kesejahteraan"], ["kesejahteraan"]),
    T("Indikator Kesejahteraan Rakyat {R} {y}", "konsumsi", 2, ["indikator kesejahteraan rakyat"],
      ["kesejahteraan"]),
    T("Statistik Harga Konsumen {R} {y}", "inflasi", 2, ["harga konsumen", "statistik harga konsumen"],
      ["konsumen"]),
    T("Indeks Harga Konsumen dan Inflasi {R} {y}", "inflasi", 2, ["indeks harga konsumen", "inflasi"],
      ["inflasi"]),
    T("Statistik Pendidikan {R} {y}", "pendidikan", 2, ["statistik pendidikan", "pendidikan"], ["pendidikan"]),
    T("Statistik Kesehatan {R} {y}", "kesehatan", 2, ["statistik kesehatan", "kesehatan"], ["kesehatan"]),
    T("Statistik Pertanian Tanaman Pangan {R} {y}", "tanaman_pangan", 2, ["tanaman pangan", "pertanian tanaman pangan"],
      ["pangan", "pertanian"]),
    T("Luas Panen dan Produksi Padi {R} {y}", "tanaman_pangan", 2, ["produksi padi", "luas panen padi"],
      ["padi", "panen"]),
    T("Statistik Hortikultura {R} {y}", "hortikultura", 1, ["hortikultura"], ["hortikultura"]),
    T("Statistik Perkebunan {R} {y}", "perkebunan", 1, ["perkebunan", "statistik perkebunan"], ["perkebunan"]),
    T("Statistik Kelapa Sawit {R} {y}", "perkebunan", 1, ["kelapa sawit"], ["sawit"]),
    T("Statistik Peternakan {R} {y}", "peternakan", 1, ["peternakan"], ["peternakan"]),
    T("Statistik Perikanan {R} {y}", "perikanan", 1, ["perikanan", "statistik perikanan"], ["perikanan"]),
    T("Statistik Kehutanan {R} {y}", "kehutanan", 1, ["kehutanan"], ["kehutanan"]),
    T("Statistik Pertambangan dan Penggalian {R} {y}", "pertambangan", 1, ["pertambangan penggalian", "pertambangan"],
      ["pertambangan", "penggalian"]),
    T("Statistik Industri Manufaktur {R} {y}", "industri", 1, ["industri manufaktur"], ["industri", "manufaktur"]),
    T("Profil Industri Mikro dan Kecil {R} {y}", "industri", 1, ["industri mikro kecil", "industri mikro"],
      ["industri"]),
    T("Statistik Konstruksi {R} {y}", "konstruksi", 1, ["konstruksi"], ["konstruksi"]),
    T("Statistik Perdagangan {R} {y}", "perdagangan", 1, ["statistik perdagangan", "perdagangan"], ["perdagangan"]),
    T("Statistik Transportasi {R} {y}", "transportasi", 1, ["transportasi"], ["transportasi"]),
    T("Statistik Hotel dan Akomodasi Lainnya {R} {y}", "pariwisata", 1, ["hotel akomodasi", "statistik hotel"],
      ["hotel", "akomodasi"]),
    T("Statistik Keuangan Pemerintah Daerah {R} {y}", "keuangan", 1, ["keuangan pemerintah daerah", "keuangan daerah"],
      ["keuangan"]),
    T("Statistik Upah dan Pendapatan {R} {y}", "upah", 1, ["upah pendapatan", "statistik upah"], ["upah", "pendapatan"]),
    T("Statistik Lingkungan Hidup {R} {y}", "lingkungan_hidup", 1, ["lingkungan hidup"], ["lingkungan"]),
    T("Statistik Potensi Desa {R} {y}", "geografi pemerintahan", 1, ["potensi desa"], ["potensi"]),
    T("Proyeksi Penduduk {R} {y}", "kependudukan", 1, ["proyeksi penduduk"], ["proyeksi", "penduduk"]),
    T("Statistik Penduduk Lanjut Usia {R} {y}", "kependudukan", 1, ["penduduk lanjut usia", "lanjut usia"],
      ["lansia", "penduduk"]),
    T("Indeks Pembangunan Gender {R} {y}", "gender", 1, ["pembangunan gender"], ["gender"]),
    T("Statistik Perumahan dan Permukiman {R} {y}", "perumahan", 1, ["perumahan permukiman", "perumahan"],
      ["perumahan"]),
    T("Statistik Politik dan Keamanan {R} {y}", "politik", 1, ["politik keamanan"], ["politik"]),
    T("Statistik Kriminal {R} {y}", "politik", 1, ["statistik kriminal", "kriminal"], ["kriminal"]),
    T("Statistik Sosial Budaya {R} {y}", "sosial_budaya", 1, ["sosial budaya"], ["budaya"]),
    T("Statistik Sarana Ibadah dan Keagamaan {R} {y}", "agama", 1, ["sarana ibadah", "keagamaan"], ["ibadah"]),
    T("Statistik Listrik dan Air Bersih {R} {y}", "energi", 1, ["listrik air bersih", "listrik"], ["listrik"]),
    T("Statistik Telekomunikasi {R} {y}", "komunikasi", 1, ["telekomunikasi"], ["telekomunikasi"]),
    T("Tinjauan Ekonomi Regional {R} {y}", "neraca_nasional", 1, ["tinjauan ekonomi regional", "ekonomi regional"],
      ["ekonomi"]),
    T("Analisis Komoditas Unggulan Pertanian {R} {y}", "tanaman_pangan hortikultura", 1,
      ["komoditas unggulan", "komoditas unggulan pertanian"], ["komoditas", "unggulan"]),
    # English titles (about 8 % of all).
    T("{E} in Figures {y}", "kependudukan", 2.72, ["in figures"], ["figures"], lang="en", years="prev"),
    T("Consumer Price Statistics of {E} {y}", "inflasi", 0.85, ["consumer price statistics", "consumer price"],
      ["consumer", "price"], lang="en"),
    T("Human Development Index of {E} {y}", "pendidikan", 0.94, ["human development index", "human development"],
      ["development"], lang="en"),
    T("Gross Regional Domestic Product of {E} by Industry {y1}-{y2}", "neraca_nasional", 0.94,
      ["gross regional domestic product", "domestic product"], ["gross", "domestic"], lang="en", years="range"),
    T("Poverty Profile of {E} {y}", "kemiskinan", 0.85, ["poverty profile", "poverty"], ["poverty"], lang="en"),
    T("Labor Force Situation in {E} August {y}", "tenaga_kerja", 0.68, ["labor force", "labor force situation"],
      ["labor"], lang="en"),
    T("Regional Statistics of {E} {y}", "kependudukan", 0.85, ["regional statistics"], ["regional"], lang="en"),
    T("Food Crops Statistics of {E} {y}", "tanaman_pangan", 0.59, ["food crops"], ["crops"], lang="en"),
    T("Welfare Indicators of {E} {y}", "konsumsi", 0.51, ["welfare indicators"], ["welfare"], lang="en"),
]
del T

# Titles of the concurrent import (office 1674): series that the main data does not use, so
# an imported row never repeats a loaded title.
IMPORT_SERIES = [
    ("Berita Resmi Statistik Perkembangan Ekspor dan Impor Kota Lubuklinggau {m} {y}", "perdagangan", "m"),
    ("Berita Resmi Statistik Perkembangan Transportasi Kota Lubuklinggau {m} {y}", "transportasi", "m"),
    ("Berita Resmi Statistik Harga Produsen Gabah Kota Lubuklinggau {m} {y}", "harga_produsen", "m"),
    ("Berita Resmi Statistik Tingkat Penghunian Kamar Hotel Kota Lubuklinggau {m} {y}", "pariwisata", "m"),
    ("Laporan Bulanan Data Sosial Ekonomi Kota Lubuklinggau {m} {y}", "konsumsi", "m"),
    ("Statistik Harga Produsen Pertanian Kota Lubuklinggau {m} {y}", "harga_produsen", "m"),
    ("Perkembangan Nilai Tukar Nelayan Kota Lubuklinggau {m} {y}", "perikanan", "m"),
    ("Perkembangan Harga Konsumen Perdesaan Kota Lubuklinggau {m} {y}", "inflasi", "m"),
    ("Berita Resmi Statistik Perkembangan Upah Buruh Kota Lubuklinggau {m} {y}", "upah", "m"),
    ("Perkembangan Harga Eceran Bahan Pokok Kota Lubuklinggau {m} {y}", "inflasi", "m"),
    ("Pertumbuhan Ekonomi Kota Lubuklinggau {q} {y}", "neraca_nasional", "q"),
    ("Indeks Harga Perdagangan Besar Kota Lubuklinggau {q} {y}", "perdagangan", "q"),
    ("Produksi Industri Mikro dan Kecil Kota Lubuklinggau {q} {y}", "industri", "q"),
    ("Statistik Kependudukan Kecamatan {kec} {y}", "kependudukan", "kec"),
    ("Statistik Pendidikan Kecamatan {kec} {y}", "pendidikan", "kec"),
    ("Statistik Kesehatan Kecamatan {kec} {y}", "kesehatan", "kec"),
    ("Statistik Pertanian Kecamatan {kec} {y}", "tanaman_pangan", "kec"),
    ("Statistik Perdagangan dan Jasa Kecamatan {kec} {y}", "perdagangan", "kec"),
    ("Indikator Kesejahteraan Rakyat Kecamatan {kec} {y}", "konsumsi", "kec"),
    ("Potensi Ekonomi Kecamatan {kec} {y}", "neraca_nasional", "kec"),
    ("Profil Kelurahan di Kecamatan {kec} Semester I {y}", "pemerintahan", "kec"),
    ("Profil Kelurahan di Kecamatan {kec} Semester II {y}", "pemerintahan", "kec"),
    ("Data Sarana Ibadah Kecamatan {kec} {y}", "agama", "kec"),
    ("Statistik Ketenagakerjaan Kecamatan {kec} {y}", "tenaga_kerja", "kec"),
    ("Harga Eceran Beras di Pasar Kecamatan {kec} {m} {y}", "perdagangan", "kecm"),
    ("Laporan Bulanan Registrasi Penduduk Kecamatan {kec} {m} {y}", "kependudukan", "kecm"),
    ("Curah Hujan dan Hari Hujan Kecamatan {kec} {m} {y}", "geografi", "kecm"),
    ("Jumlah Kelahiran dan Kematian Kecamatan {kec} {m} {y}", "kependudukan", "kecm"),
]

# ---------------------------------------------------------------------------------------
# Abstract vocabulary. Lists are drawn Zipf-like: the first items far more often.

SUBJECT_INDICATORS = {
    "agama": ["jumlah tempat ibadah", "jumlah pemuka agama", "jumlah jemaah haji", "penduduk menurut agama",
              "kegiatan keagamaan", "lembaga pendidikan keagamaan"],
    "gender": ["indeks pembangunan gender", "indeks pemberdayaan gender", "sumbangan pendapatan perempuan",
               "keterlibatan perempuan di parlemen", "perempuan sebagai tenaga profesional", "kesenjangan upah gender"],
    "geografi": ["luas wilayah", "ketinggian dari permukaan laut", "curah hujan", "jumlah desa/kelurahan",
                 "batas wilayah administrasi", "suhu udara rata-rata", "jumlah pulau", "jarak ke ibu kota kabupaten"],
    "kemiskinan": ["persentase penduduk miskin", "garis kemiskinan", "jumlah penduduk miskin",
                   "indeks kedalaman kemiskinan", "indeks keparahan kemiskinan", "rasio gini",
                   "distribusi pengeluaran kelompok 40 persen terbawah", "kemiskinan ekstrem"],
    "kependudukan": ["jumlah penduduk", "laju pertumbuhan penduduk", "kepadatan penduduk", "rasio jenis kelamin",
                     "rasio ketergantungan", "piramida penduduk", "jumlah rumah tangga", "angka kelahiran total",
                     "migrasi risen"],
    "kesehatan": ["angka harapan hidup", "angka kematian bayi", "jumlah tenaga kesehatan", "jumlah puskesmas",
                  "persentase balita diimunisasi", "keluhan kesehatan", "prevalensi stunting",
                  "kepemilikan jaminan kesehatan", "persalinan oleh tenaga kesehatan"],
    "konsumsi": ["pengeluaran per kapita", "proporsi pengeluaran makanan", "konsumsi kalori", "konsumsi protein",
                 "pengeluaran bukan makanan", "pola konsumsi rumah tangga", "konsumsi beras per kapita"],
    "pemerintahan": ["jumlah aparatur sipil negara", "jumlah desa/kelurahan", "jumlah satuan lingkungan setempat",
                     "anggota DPRD", "realisasi pendapatan daerah", "organisasi perangkat daerah",
                     "kebutuhan data statistik", "kepuasan konsumen terhadap layanan BPS"],
    "pendidikan": ["angka partisipasi sekolah", "angka partisipasi kasar", "angka partisipasi murni",
                   "rata-rata lama sekolah", "harapan lama sekolah", "angka melek huruf", "rasio murid guru",
                   "jumlah sekolah", "angka putus sekolah"],
    "perumahan": ["rumah tangga dengan akses air minum layak", "akses sanitasi layak", "status kepemilikan rumah",
                  "luas lantai per kapita", "rumah layak huni", "sumber penerangan utama", "bahan bakar memasak"],
    "politik": ["angka kriminalitas", "jumlah tindak pidana", "partisipasi pemilih", "indeks demokrasi",
                "risiko penduduk terkena kejahatan", "jumlah konflik sosial", "jumlah personel keamanan"],
    "sosial_budaya": ["partisipasi kegiatan sosial", "kegiatan olahraga", "akses media massa",
                      "kunjungan ke tempat wisata budaya", "penggunaan bahasa daerah", "kegiatan gotong royong"],
    "tenaga_kerja": ["tingkat pengangguran terbuka", "tingkat partisipasi angkatan kerja", "penduduk bekerja",
                     "pekerja informal", "setengah pengangguran", "pekerja paruh waktu", "jam kerja",
                     "penduduk usia kerja", "status pekerjaan utama"],
    "energi": ["produksi listrik", "konsumsi listrik", "rasio elektrifikasi", "distribusi air bersih",
               "pelanggan listrik", "penyaluran bahan bakar minyak", "produksi air bersih"],
    "harga_produsen": ["nilai tukar petani", "harga gabah kering panen", "harga gabah kering giling",
                       "indeks harga yang diterima petani", "indeks harga yang dibayar petani",
                       "harga produsen", "observasi gabah", "harga beras di penggilingan"],
    "industri": ["jumlah perusahaan industri", "tenaga kerja industri", "nilai output industri",
                 "industri mikro dan kecil", "industri besar dan sedang", "nilai tambah industri",
                 "pertumbuhan produksi industri"],
    "inflasi": ["inflasi tahunan", "inflasi bulanan", "inflasi tahun kalender", "indeks harga konsumen",
                "kelompok pengeluaran", "harga bahan makanan", "komoditas penyumbang inflasi", "andil inflasi",
                "deflasi"],
    "keuangan": ["pendapatan asli daerah", "belanja daerah", "dana perimbangan", "realisasi anggaran",
                 "belanja pegawai", "belanja modal", "penyaluran kredit perbankan", "simpanan masyarakat"],
    "komunikasi": ["penggunaan internet", "kepemilikan telepon seluler", "akses komputer", "jaringan seluler",
                   "rumah tangga dengan akses internet", "menara telekomunikasi", "indeks pembangunan teknologi informasi"],
    "konstruksi": ["nilai konstruksi", "jumlah perusahaan konstruksi", "tenaga kerja konstruksi",
                   "indeks kemahalan konstruksi", "pembangunan infrastruktur", "panjang jalan"],
    "neraca_nasional": ["laju pertumbuhan ekonomi", "produk domestik regional bruto", "pdrb per kapita",
                        "struktur ekonomi", "kontribusi sektor pertanian", "pdrb atas dasar harga berlaku",
                        "pdrb atas dasar harga konstan", "sumber pertumbuhan ekonomi", "pengeluaran konsumsi rumah tangga",
                        "pembentukan modal tetap bruto"],
    "pariwisata": ["tingkat penghunian kamar", "jumlah wisatawan", "rata-rata lama menginap", "jumlah hotel",
                   "kunjungan wisatawan mancanegara", "objek wisata", "usaha penyediaan akomodasi"],
    "perdagangan": ["nilai ekspor", "nilai impor", "neraca perdagangan", "jumlah pasar", "usaha perdagangan",
                    "komoditas ekspor utama", "perdagangan antarwilayah", "harga perdagangan besar"],
    "transportasi": ["jumlah kendaraan bermotor", "panjang jalan", "jumlah penumpang", "arus bongkar muat barang",
                     "lalu lintas penerbangan", "angkutan umum", "kondisi jalan"],
    "upah": ["upah minimum", "rata-rata upah buruh", "upah nominal", "upah riil", "pendapatan bersih pekerja",
             "upah buruh tani", "upah pekerja bangunan"],
    "hortikultura": ["produksi sayuran", "produksi buah-buahan", "luas panen cabai", "produksi bawang merah",
                     "tanaman biofarmaka", "tanaman hias", "produktivitas hortikultura"],
    "kehutanan": ["luas kawasan hutan", "produksi kayu bulat", "rehabilitasi hutan", "hasil hutan bukan kayu",
                  "kebakaran hutan dan lahan", "perusahaan pemegang izin usaha kehutanan"],
    "lingkungan_hidup": ["kualitas udara", "pengelolaan sampah", "kejadian bencana alam", "indeks kualitas lingkungan hidup",
                         "perilaku peduli lingkungan", "pencemaran air"],
    "perikanan": ["produksi perikanan tangkap", "produksi perikanan budidaya", "rumah tangga perikanan",
                  "jumlah kapal penangkap ikan", "nilai produksi perikanan", "luas kolam"],
    "perkebunan": ["produksi kelapa sawit", "produksi karet", "produksi kopi", "luas areal perkebunan",
                   "perkebunan rakyat", "produksi kakao", "produksi kelapa"],
    "pertambangan": ["produksi batu bara", "produksi minyak bumi", "produksi gas alam", "galian golongan C",
                     "izin usaha pertambangan", "nilai produksi pertambangan"],
    "peternakan": ["populasi ternak", "produksi daging", "produksi telur", "populasi sapi potong",
                   "pemotongan ternak", "produksi susu", "populasi unggas"],
    "tanaman_pangan": ["luas panen padi", "produksi padi", "produktivitas padi", "produksi jagung",
                       "produksi kedelai", "luas lahan sawah", "produksi gabah kering giling", "produksi ubi kayu"],
}

VERBS = ["menyajikan", "memuat", "menggambarkan", "menguraikan", "membahas", "merangkum", "memaparkan",
         "menampilkan", "mengulas", "menjelaskan", "menganalisis", "menyediakan", "menghimpun", "mendeskripsikan"]
DOC_NOUNS = ["publikasi ini", "buku ini", "terbitan ini", "laporan ini", "publikasi tahunan ini", "edisi ini"]
SOURCES = ["Survei Sosial Ekonomi Nasional (Susenas)", "Survei Angkatan Kerja Nasional (Sakernas)",
           "Sensus Penduduk 2020", "Sensus Pertanian 2023", "Sensus Ekonomi 2016", "Survei Harga Konsumen",
           "Survei Harga Produsen", "Survei Ubinan", "Survei Kerangka Sampel Area (KSA)",
           "Pendataan Potensi Desa (Podes)", "Survei Industri Mikro dan Kecil", "Survei Perusahaan Konstruksi",
           "Survei Khusus Neraca Produksi", "Survei Biaya Hidup", "registrasi penduduk",
           "data administrasi dinas terkait", "Survei Penduduk Antar Sensus (Supas)",
           "Survei Harga Perdesaan", "laporan instansi pemerintah daerah", "Registrasi Sosial Ekonomi (Regsosek)",
           "Survei Hotel dan Akomodasi", "Survei Perusahaan Perdagangan", "Survei Demografi dan Kesehatan Indonesia",
           "Survei Statistik Peternakan", "Survei Perusahaan Perikanan", "Survei Pertanian Terintegrasi"]
LEVELS = ["menurut kecamatan", "menurut jenis kelamin", "menurut kelompok umur", "menurut lapangan usaha",
          "menurut daerah perkotaan dan perdesaan", "menurut kelompok pengeluaran", "menurut jenis komoditas",
          "menurut tingkat pendidikan", "menurut status pekerjaan utama", "menurut golongan pengeluaran",
          "menurut desa/kelurahan", "menurut bulan", "menurut triwulan", "menurut subsektor",
          "menurut jenis usaha", "menurut kategori"]
USERS = ["pemerintah daerah", "perencana pembangunan", "akademisi", "peneliti", "dunia usaha",
         "masyarakat umum", "mahasiswa", "organisasi perangkat daerah", "Bappeda", "DPRD", "media massa",
         "investor", "lembaga swadaya masyarakat", "pelajar", "pengambil kebijakan"]
PURPOSES = ["perencanaan pembangunan", "evaluasi program", "penyusunan kebijakan", "pemantauan capaian target",
            "penelitian ilmiah", "pengambilan keputusan", "penyusunan RPJMD", "evaluasi kinerja pemerintah daerah",
            "perumusan kebijakan berbasis data", "pemantauan capaian SDGs", "penyusunan rencana kerja",
            "kajian akademik", "perencanaan investasi"]
CONTENTS = ["tabel", "grafik", "infografis", "peta tematik", "ulasan singkat", "analisis deskriptif",
            "catatan teknis", "konsep dan definisi", "penjelasan metodologi", "lampiran tabel",
            "ringkasan eksekutif", "indikator strategis", "data runtun waktu", "perbandingan antarwilayah"]
TRENDS = ["meningkat", "menurun", "relatif stabil", "berfluktuasi", "mengalami kenaikan", "mengalami penurunan",
          "tumbuh positif", "melambat", "membaik", "terkontraksi", "cenderung naik", "sedikit menurun"]
DRIVERS = ["pemulihan ekonomi pascapandemi", "kenaikan harga bahan pokok", "meningkatnya produksi pertanian",
           "program perlindungan sosial", "pembangunan infrastruktur", "musim panen raya",
           "fluktuasi harga komoditas", "pertumbuhan sektor perdagangan", "bertambahnya lapangan kerja",
           "perbaikan daya beli masyarakat", "kenaikan tarif angkutan", "cuaca ekstrem",
           "meningkatnya kunjungan wisatawan", "investasi swasta", "belanja pemerintah daerah"]
SECTORS = ["pertanian, kehutanan, dan perikanan", "perdagangan besar dan eceran", "industri pengolahan",
           "konstruksi", "pertambangan dan penggalian", "administrasi pemerintahan", "transportasi dan pergudangan",
           "penyediaan akomodasi dan makan minum", "jasa pendidikan", "informasi dan komunikasi",
           "jasa keuangan dan asuransi", "real estat", "jasa kesehatan dan kegiatan sosial",
           "pengadaan listrik dan gas"]
METHODS = ["wawancara langsung", "pencacahan lengkap", "survei sampel", "kompilasi data administrasi",
           "observasi lapangan", "pencatatan harga", "pengisian kuesioner mandiri", "wawancara dengan tablet (CAPI)"]
STATUSES = ["sementara", "sangat sementara", "tetap", "perbaikan", "proyeksi"]
PARTNERS = ["pemerintah daerah", "dinas terkait", "para responden", "instansi vertikal", "perangkat desa",
            "kantor kecamatan", "mitra statistik", "organisasi perangkat daerah"]
QUALITIES = ["terkini", "lengkap", "ringkas", "akurat", "mutakhir", "terpercaya", "berkualitas", "berkala",
             "komprehensif", "sistematis", "resmi", "mudah dipahami"]
SHORTS = ["BPS", "PDRB", "IPM", "TPT", "TPAK", "NTP", "IHK", "SDGs", "UMKM", "TPK", "RPJMD", "APBD"]

# {D} doc noun (capitalised at a sentence start), {V} verb, {I}/{I2} indicators of the
# subject, {S}/{S2} sources, {L} level, {U}/{U2} users, {P} purpose, {C}/{C2} contents,
# {T} trend, {DR} driver, {SE} sector, {M} method, {ST} status, {PA} partner, {Q} quality,
# {R} region label, {RN} bare region name, {y} data year, {yp} the year before, {kec}
# kecamatan, {kec2} another, {n} {k} numbers, {SH} a short form, {TT} the title's topic.
SENTENCES_ID = [
    "{D} {V} data {TT} {L} di {R} tahun {y}.",
    "{D} {V} data dan informasi statistik {Q} tentang {I} di {R}.",
    "Data yang disajikan bersumber dari {S} dan {S2}.",
    "Data dalam {d} diperoleh dari {S} yang dilaksanakan BPS {R}.",
    "{Ic} {R} pada tahun {y} {T} dibandingkan tahun {yp}.",
    "Selama periode {yp}-{y}, {I} di {RN} {T} seiring dengan {DR}.",
    "{D} diharapkan dapat menjadi rujukan bagi {U} dan {U2} dalam {P}.",
    "Selain itu, {d} juga memuat {C} mengenai {I} dan {I2}.",
    "Penyajian data dilengkapi dengan {C} dan {C2} agar mudah dipahami oleh {U}.",
    "Secara umum, {I} {T} seiring dengan {DR}.",
    "Cakupan data meliputi {n} kecamatan dan {k} desa/kelurahan di {R}.",
    "Konsep dan definisi yang digunakan mengacu pada standar internasional dan pedoman BPS.",
    "Pengumpulan data dilakukan melalui {M} oleh petugas BPS {RN}.",
    "{Ic} tertinggi tercatat di Kecamatan {kec}, sedangkan yang terendah di Kecamatan {kec2}.",
    "Struktur perekonomian {RN} masih didominasi oleh lapangan usaha {SE}.",
    "Ulasan difokuskan pada {I} {L}.",
    "Kami menyampaikan terima kasih kepada {PA} atas kerja sama dalam penyediaan data.",
    "Angka {y} yang disajikan merupakan angka {ST}.",
    "Indikator seperti {SH} dan {I} disajikan untuk mendukung {P}.",
    "Informasi ini penting bagi {U} untuk memantau {I} di tingkat kabupaten/kota.",
    "Publikasi {TT} ini terbit setiap tahun sebagai bagian dari kegiatan statistik dasar BPS.",
    "Pada tahun {y}, {I} di {R} {T}, sementara {I2} {T2}.",
    "Perbandingan antarwilayah menunjukkan bahwa {I} di {RN} {T} dibanding rata-rata provinsi.",
    "Seluruh data disajikan {L} dan {L2} dalam bentuk {C}.",
    "Kritik dan saran dari {U} sangat diharapkan untuk penyempurnaan edisi berikutnya.",
    "Data statistik sektoral dari {PA} melengkapi hasil {S}.",
    "Perkembangan ekonomi dan sosial penduduk Indonesia di daerah ini tercermin dari {I} dan {I2}.",
    "Data {TT} juga dapat diakses melalui laman resmi BPS {RN}.",
]
SENTENCES_EN = [
    "This publication presents data on {TT} in {E} for {y}.",
    "The data were collected through {ME} and compiled by BPS-Statistics of {RN}.",
    "It covers {IE} and {IE2} by {LE}.",
    "In {y}, {IE} in {RN} {TE} compared with {yp}.",
    "The figures are intended for {UE} and {UE2} in {PE}.",
    "Tables are complemented by {CE} and brief analyses.",
    "Figures for {y} are {STE}.",
    "We thank {PAE} for their cooperation in providing the data.",
    "Concepts and definitions follow international standards and BPS guidelines.",
    "Data are presented by subdistrict, including {kec} and {kec2}.",
    "Statistics Indonesia publishes this title annually as part of its basic statistics programme.",
]
EN_INDICATORS = ["population growth", "poverty rate", "open unemployment rate", "labor force participation",
                 "human development index", "inflation rate", "economic growth", "gross regional domestic product",
                 "rice production", "harvested area", "consumer price index", "expenditure per capita",
                 "school enrolment", "life expectancy", "tourist arrivals", "hotel occupancy rate",
                 "farmer terms of trade", "regional revenue"]
EN_TRENDS = ["increased", "decreased", "remained stable", "fluctuated", "grew steadily", "slowed down"]
EN_LEVELS = ["subdistrict", "sex", "age group", "industry", "urban and rural area", "expenditure group",
             "commodity", "month"]
EN_USERS = ["local government", "planners", "researchers", "students", "the business community",
            "the general public", "policy makers"]
EN_PURPOSES = ["development planning", "policy making", "programme evaluation", "research",
               "monitoring SDGs targets"]
EN_CONTENTS = ["charts", "infographics", "thematic maps", "technical notes", "time series tables"]
EN_METHODS = ["household surveys", "a complete enumeration", "administrative records", "price surveys",
              "field observation"]
EN_STATUS = ["preliminary", "very preliminary", "final", "revised"]
EN_PARTNERS = ["the local government", "related agencies", "our respondents", "village officials"]

SUBJECT_KEYWORDS = {s: [i for i in v if len(i.split()) <= 3] for s, v in SUBJECT_INDICATORS.items()}
GENERAL_KEYWORDS = ["statistik", "data", "BPS", "indikator", "publikasi", "kabupaten/kota", "statistik daerah",
                    "pembangunan daerah", "sosial ekonomi"]
EN_KEYWORDS = ["statistics", "indicators", "regional data", "BPS", "population", "economy"]

# Not offered as "common words": function words (the indonesian configuration of Postgres
# has no stop words, so they would match almost everything).
STOPWORDS = set("""yang dan di ke dari ini itu dengan untuk pada dalam oleh atau serta juga sebagai secara
antara tersebut adalah akan telah bagi agar dapat setiap sedangkan sementara seperti melalui
the of and in for to by on with a an are is it its this were our their""".split())

KEYBOARD = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok",
    "o": "ipl", "p": "ol", "a": "qsz", "s": "awdz", "d": "sefx", "f": "drgc", "g": "fthv", "h": "gyjb",
    "j": "hukn", "k": "jilm", "l": "kop", "z": "asx", "x": "zsdc", "c": "xdfv", "v": "cfgb", "b": "vghn",
    "n": "bhjm", "m": "njk",
}


class Zipf:
    """Picks items with weight 1/(rank+1)^s, in a fixed shuffled order of the list."""

    def __init__(self, rng, items, s=1.0):
        self.items = list(items)
        rng.shuffle(self.items)
        acc = 0.0
        self.cum = []
        for i in range(len(self.items)):
            acc += 1.0 / (i + 1) ** s
            self.cum.append(acc)

    def pick(self, rng):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]

    def two(self, rng):
        a = self.pick(rng)
        for _ in range(8):
            b = self.pick(rng)
            if b != a:
                return a, b
        return a, self.items[(self.items.index(a) + 1) % len(self.items)]


class Weighted:
    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]


def cap(s):
    return s[:1].upper() + s[1:]


# ---------------------------------------------------------------------------------------

class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        rng = self.rng
        self.regions = parse_regions()
        self.by_code = {r.code: r for r in self.regions}
        pool = [k.strip() for k in KECAMATAN_POOL.replace("\n", " ").split(";") if k.strip()]
        for r in self.regions:
            # Offices publish unequally: a few many, most a moderate number.
            r.weight = rng.lognormvariate(0.0, 0.5)
            if r.code == HOME_OFFICE:
                r.kecamatan = list(LUBUKLINGGAU_KECAMATAN)
                continue
            # Mostly named after the region ("Musi Rawas Barat", "Medan Kota"), a few as
            # names found in many regencies.
            base = r.name.split()[0] if len(r.name.split()) > 1 and rng.random() < 0.3 else r.name
            plain = ["Kota", "Hulu", "Hilir", "Pesisir", "Induk", "Baru", "Raya"]
            if set(base.split()) & {"Barat", "Timur", "Utara", "Selatan", "Tengah", "Tenggara", "Daya", "Laut"}:
                suffixes = plain  # not "Aceh Tengah Tengah"
            else:
                suffixes = plain + ["Barat", "Timur", "Utara", "Selatan", "Tengah", "Barat Daya", "Timur Laut"]
            suffixes = [x for x in suffixes if x.split()[0] not in base.split()]  # not "Nagan Raya Raya"
            own = [f"{base} {d}" for d in rng.sample(suffixes, rng.randint(4, 6))]
            r.kecamatan = own + rng.sample(pool, rng.randint(2, 4))
        self.region_pick = Weighted(self.regions, [r.weight for r in self.regions])
        self.template_pick = Weighted(range(len(TEMPLATES)), [t.weight for t in TEMPLATES])
        self.year_pick = Weighted(YEARS, [1.09 ** (y - 2005) for y in YEARS])
        # Bare names that two offices share (Kabupaten and Kota Bogor...): never bare in titles.
        names = collections.Counter(r.name for r in self.regions)
        self.shared_name = {n for n, c in names.items() if c > 1}
        z = lambda items, s=1.0: Zipf(rng, items, s)  # noqa: E731
        self.z = {
            "V": z(VERBS), "D": z(DOC_NOUNS), "S": z(SOURCES), "L": z(LEVELS), "U": z(USERS), "P": z(PURPOSES),
            "C": z(CONTENTS), "T": z(TRENDS), "DR": z(DRIVERS), "SE": z(SECTORS), "M": z(METHODS),
            "ST": z(STATUSES), "PA": z(PARTNERS), "Q": z(QUALITIES), "SH": z(SHORTS),
            "IE": z(EN_INDICATORS), "TE": z(EN_TRENDS), "LE": z(EN_LEVELS), "UE": z(EN_USERS),
            "PE": z(EN_PURPOSES), "CE": z(EN_CONTENTS), "ME": z(EN_METHODS), "STE": z(EN_STATUS),
            "PAE": z(EN_PARTNERS),
        }
        self.indicators = {s: z(v, 0.8) for s, v in SUBJECT_INDICATORS.items()}
        self.general_ind = z([i for v in SUBJECT_INDICATORS.values() for i in v], 1.1)
        self.sent_id = z(range(2, len(SENTENCES_ID)), 0.6)
        self.sent_en = z(range(1, len(SENTENCES_EN)), 0.5)
        self.kw_general = z(GENERAL_KEYWORDS)

    # -- one publication --------------------------------------------------------------
    def title_parts(self, t, region, year, variant):
        rng = self.rng
        label = region.label()
        if region.name not in self.shared_name and rng.random() < 0.1:
            label = region.name  # "Musi Rawas Dalam Angka 2024"
        y2 = year - 1
        vals = {"R": label, "E": region.label_en(year), "y": year, "y1": y2 - 4, "y2": y2}
        if t.variant == "kec":
            vals["kec"] = variant
        elif t.variant == "m":
            vals["m"] = MONTHS_EN[variant] if t.lang == "en" else MONTHS[variant]
        elif t.variant == "q":
            vals["q"] = QUARTERS[variant]
        title = t.pattern.format(**vals)
        subtitle = t.subtitle.format(**vals) if t.subtitle else ""
        if t.years == "prev":
            yf = yt = year - 1
        elif t.years == "range":
            yf, yt = y2 - 4, y2
        else:
            yf = yt = year
        return title, subtitle, label, yf, yt

    def abstract(self, t, subject, region, year, topic):
        rng, z = self.rng, self.z
        target = rng.randint(40, 80)
        ind = self.indicators[subject]
        k1, k2 = rng.sample(region.kecamatan, 2)
        if t.lang == "en":
            order = [0] + [self.sent_en.pick(rng) for _ in range(12)]
            pool = SENTENCES_EN
        else:
            order = [rng.choice([0, 1])] + [self.sent_id.pick(rng) for _ in range(16)]
            pool = SENTENCES_ID
        words, seen = [], set()
        for idx in order:
            if idx in seen:
                continue
            seen.add(idx)
            i1, i2 = ind.two(rng) if rng.random() < 0.75 else self.general_ind.two(rng)
            ie1, ie2 = z["IE"].two(rng)
            u1, u2 = z["U"].two(rng)
            s1, s2 = z["S"].two(rng)
            c1, c2 = z["C"].two(rng)
            l1, l2 = z["L"].two(rng)
            ue1, ue2 = z["UE"].two(rng)
            d = z["D"].pick(rng)
            text = pool[idx].format(
                D=cap(d), d=d, V=z["V"].pick(rng), TT=topic, L=l1, L2=l2, R=region.label(), RN=region.name,
                E=region.label_en(year), y=year, yp=year - 1, Q=z["Q"].pick(rng), I=i1, I2=i2, Ic=cap(i1),
                S=s1, S2=s2, T=z["T"].pick(rng), T2=z["T"].pick(rng), DR=z["DR"].pick(rng), U=u1, U2=u2,
                P=z["P"].pick(rng), C=c1, C2=c2, n=len(region.kecamatan) + rng.randint(0, 6),
                k=rng.randint(40, 320), M=z["M"].pick(rng), kec=k1, kec2=k2, SE=z["SE"].pick(rng),
                ST=z["ST"].pick(rng), PA=z["PA"].pick(rng), SH=z["SH"].pick(rng), IE=ie1, IE2=ie2,
                TE=z["TE"].pick(rng), LE=z["LE"].pick(rng), UE=ue1, UE2=ue2, PE=z["PE"].pick(rng),
                CE=z["CE"].pick(rng), ME=z["ME"].pick(rng), STE=z["STE"].pick(rng), PAE=z["PAE"].pick(rng))
            n = len(text.split())
            if words and len(words) + n > 80:
                continue
            words.extend(text.split())
            if len(words) >= target:
                break
        return " ".join(words)

    def keywords(self, t, subject, region):
        rng = self.rng
        n = rng.randint(2, 5)
        if t.lang == "en":
            pool = EN_KEYWORDS + [region.name]
            return rng.sample(pool, min(n, len(pool)))
        out = [rng.choice(t.topics)] if t.topics else []
        cands = SUBJECT_KEYWORDS[subject]
        for k in rng.sample(cands, min(len(cands), n)):
            if len(out) >= n - 1:
                break
            if k not in out:
                out.append(k)
        if rng.random() < 0.5:
            out.append(region.name)
        while len(out) < n:
            k = self.kw_general.pick(rng)
            if k not in out:
                out.append(k)
        return out[:5] if len(out) >= 2 else out + ["statistik"]

    def access(self):
        x = self.rng.random()
        return "public" if x < 0.90 else "registered" if x < 0.98 else "staff"

    def variant(self, t, region):
        rng = self.rng
        if t.variant == "kec":
            return rng.choice(region.kecamatan)
        if t.variant == "m":
            return rng.randrange(12)
        if t.variant == "q":
            return rng.randrange(4)
        return None

    def publications(self, n):
        """Yields publication dicts; also keeps the compact records queries are drawn from."""
        rng = self.rng
        used = set()
        self.pubs = []
        for _ in range(n):
            for attempt in range(30):
                region = self.region_pick.pick(rng)
                ti = self.template_pick.pick(rng)
                t = TEMPLATES[ti]
                year = self.year_pick.pick(rng)
                var = self.variant(t, region)
                key = (ti, region.code, year, var)
                # The same book again (another edition) happens, rarely.
                if key not in used or rng.random() < 0.03 or attempt == 29:
                    break
            edition = key in used
            used.add(key)
            title, subtitle, label, yf, yt = self.title_parts(t, region, year, var)
            if edition and not subtitle:
                subtitle = rng.choice(["Edisi Revisi", "Cetakan Kedua", "Edisi Perbaikan"])
            subject = rng.choice(t.subjects)
            topic = t.topics[0] if t.topics else "statistik"
            kws = self.keywords(t, subject, region)
            p = {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "office_code": region.code, "title": title, "subtitle": subtitle, "subject": subject,
                "subject_group": SUBJECT_GROUP[subject], "language": t.lang, "year_from": yf, "year_to": yt,
                "abstract": self.abstract(t, subject, region, yt, topic), "keywords": kws,
                "access_level": self.access(), "has_printed": rng.random() < 1 / 3,
            }
            self.pubs.append((p["id"], region.code, title, ti, yf, yt, p["access_level"], label, year))
            yield p

    # -- the import -------------------------------------------------------------------
    def import_rows(self, count):
        rng = self.rng
        region = self.by_code[HOME_OFFICE]
        space = []
        for si, (pattern, subject, kind) in enumerate(IMPORT_SERIES):
            if kind == "kecm":
                variants = [(k, m) for k in region.kecamatan for m in MONTHS]
            else:
                variants = [(v, v) for v in {"m": MONTHS, "q": QUARTERS, "kec": region.kecamatan}[kind]]
            for y in YEARS:
                for v in variants:
                    space.append((si, y, v))
        if len(space) < count:
            sys.exit(f"only {len(space)} distinct import titles; asked for {count}")
        weights = [1.09 ** (y - 2005) for _, y, _ in space]
        # Weighted sample without replacement (Efraimidis-Spirakis keys), recent years likelier.
        keys = [(rng.random() ** (1.0 / w), s) for s, w in zip(space, weights)]
        keys.sort(key=lambda k: -k[0])
        chosen = [s for _, s in keys[:count]]
        rows = []
        for si, y, (v, m) in chosen:
            pattern, subject, kind = IMPORT_SERIES[si]
            title = pattern.format(m=m, q=v, kec=v, y=y)
            t = Template(pattern, subject, 1, [pattern.split(" Kota ")[0].split(" Kecamatan ")[0].lower()])
            kws = self.keywords(t, subject, region)
            month = MONTHS.index(m) + 1 if kind in ("m", "kecm") else rng.randint(1, 12)
            rows.append({
                "office_code": HOME_OFFICE, "title": title, "subtitle": "", "catalogue_number": "",
                "publication_number": "", "issn": "", "isbn": "",
                "release_date": f"{min(y, 2025)}-{month:02d}-{rng.randint(1, 28):02d}",
                "year_from": str(y), "year_to": str(y), "subject": subject, "language": "id",
                "pages": str(rng.randint(8, 240)),
                "abstract": self.abstract(t, subject, region, y, t.topics[0]),
                "keywords": ";".join(kws), "access_level": self.access(),
            })
        return rows


# ---------------------------------------------------------------------------------------
# COPY text format.

def copy_text(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def pg_array(items):
    out = []
    for x in items:
        if x == "" or re.search(r'[\s,{}"\\]', x) or x.upper() == "NULL":
            out.append('"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            out.append(x)
    return "{" + ",".join(out) + "}"


def copy_line(p):
    def v(x):
        if x is None:
            return "\\N"
        if isinstance(x, bool):
            return "t" if x else "f"
        return copy_text(str(x))
    cols = [p["id"], p["office_code"], p["title"], p["subtitle"], p["subject"], p["subject_group"],
            p["language"], p["year_from"], p["year_to"], p["abstract"]]
    return "\t".join([v(c) for c in cols] + [copy_text(pg_array(p["keywords"])), v(" ".join(p["keywords"])),
                                              v(p["access_level"]), v(p["has_printed"])]) + "\n"


def sql_literal(s):
    if "\x00" in s:
        raise ValueError("NUL in a literal")
    return "'" + s.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------
# Typos.

def apply_typo(rng, word, kind):
    """One edit of `kind` inside `word` (never its first letter), or None if impossible."""
    n = len(word)
    lower = word.lower()
    if kind == "deletion":
        i = rng.randrange(1, n)
        return word[:i] + word[i + 1:]
    if kind == "transposition":
        opts = [i for i in range(1, n - 1) if lower[i] != lower[i + 1]]
        if not opts:
            return None
        i = rng.choice(opts)
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "substitution":
        i = rng.randrange(1, n)
        c = lower[i]
        cands = [x for x in KEYBOARD.get(c, "aeiou") if x != c]
        new = rng.choice(cands)
        new = new.upper() if word[i].isupper() else new
        return word[:i] + new + word[i + 1:]
    if kind == "insertion":
        i = rng.randrange(1, n + 1)
        near = lower[i - 1]
        new = rng.choice([near] + list(KEYBOARD.get(near, "aeiou")))
        return word[:i] + new + word[i:]
    raise ValueError(kind)


def classify_edit(a, b):
    """The single edit turning a into b (case-insensitive), or None if it is not one edit."""
    a, b = a.lower(), b.lower()
    if a == b:
        return None
    if len(b) == len(a) - 1:
        return "deletion" if any(a[:i] + a[i + 1:] == b for i in range(len(a))) else None
    if len(b) == len(a) + 1:
        return "insertion" if any(b[:i] + b[i + 1:] == a for i in range(len(b))) else None
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return "substitution"
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return "transposition"
    return None


WORD_RE = re.compile(r"[A-Za-z]+")


def words_of(text):
    return re.findall(r"[0-9A-Za-z]+", text.lower())


# ---------------------------------------------------------------------------------------
# Queries.

def params_of(q=None, **filters):
    items = []
    if q is not None:
        items.append(("q", q))
    items += [(k, str(v)) for k, v in filters.items()]
    items.append(("limit", "10"))
    return urllib.parse.urlencode(items, quote_via=urllib.parse.quote)


def naive_sql(cls, q=None, office=None, year=None):
    if cls in ("topic_region", "common_word"):
        lit = sql_literal(q)
        return (f"SELECT id, office_code FROM publications WHERE search @@ websearch_to_tsquery('indonesian', {lit}) "
                f"ORDER BY ts_rank_cd(search, websearch_to_tsquery('indonesian', {lit})) DESC LIMIT 10;")
    if cls == "title_typos":
        lit = sql_literal(q)
        return (f"SELECT id, office_code FROM publications WHERE lower(title) % lower({lit}) "
                f"ORDER BY similarity(lower(title), lower({lit})) DESC LIMIT 10;")
    if cls == "fragment_typo":
        lit = sql_literal(q)
        return (f"SELECT id, office_code FROM publications WHERE lower({lit}) <% lower(title) "
                f"ORDER BY word_similarity(lower({lit}), lower(title)) DESC LIMIT 10;")
    if cls == "odd_input":
        # As Postgres would take it at its simplest: the same text search as topic_region.
        lit = sql_literal(q)
        return (f"SELECT id, office_code FROM publications WHERE search @@ websearch_to_tsquery('indonesian', {lit}) "
                f"ORDER BY ts_rank_cd(search, websearch_to_tsquery('indonesian', {lit})) DESC LIMIT 10;")
    if cls == "office_year":
        return (f"SELECT id, office_code FROM publications WHERE office_code = {sql_literal(office)} "
                f"AND year_to >= {int(year)} AND year_from <= {int(year)} ORDER BY year_to DESC, id LIMIT 10;")
    raise ValueError(cls)


class QueryMaker:
    def __init__(self, gen, k, titles_all, vocabulary, df_words):
        self.g = gen
        self.k = k
        self.rng = random.Random(gen.rng.random())
        self.vocabulary = vocabulary
        self.title_count = titles_all
        self.df_words = df_words
        pubs = gen.pubs
        self.public = [p for p in pubs if p[6] == "public"]
        # Region name words -> offices having them.
        self.word_offices = collections.defaultdict(set)
        for r in gen.regions:
            for w in words_of(r.name):
                self.word_offices[w].add(r.code)

    def entry(self, cls, q, expect, office=None, year=None):
        params = params_of(q) if office is None else params_of(office=office, year_from=year, year_to=year)
        return {"class": cls, "q": q, "params": params, "path": "/api/v1/publications?" + params,
                "expect": expect, "naive_sql": naive_sql(cls, q, office, year)}

    def ambiguous(self, code, name_words):
        offices = None
        for w in name_words:
            offices = set(self.word_offices[w]) if offices is None else offices & self.word_offices[w]
        return sorted((offices or set()) - {code})

    def topic_region(self):
        rng, g = self.rng, self.g
        out, seen = [], set()
        for _ in range(self.k * 1000):
            if len(out) == self.k:
                break
            pid, code, title, ti, yf, yt, acc, label, year = rng.choice(self.public)
            t = TEMPLATES[ti]
            if not t.region_in_title or not t.topics:
                continue
            region = g.by_code[code]
            topic = rng.choice(t.topics)
            if topic not in title.lower() or len(topic.split()) > 3:
                continue
            rq = region.name.lower()
            if region.name in g.shared_name:
                # "kota bogor", "blitar city": what the title says to tell the two apart.
                if label == region.name:
                    continue
                if t.lang == "en":
                    rq = region.label_en(year).lower()
                else:
                    rq = ("kota " if region.kota else "kabupaten ") + rq
            q = f"{topic} {rq}"
            # No year for "2018-2022" titles: Postgres' parser reads that as 2018 and -2022, so
            # a query's 2022 could never match the title's words.
            if rng.random() < 0.35 and t.years != "range":
                q += f" {year}"
            if q in seen or len(q) > 200:
                continue
            seen.add(q)
            out.append(self.entry("topic_region", q, {
                "office_code": code, "region": region.label(), "example_id": pid, "example_title": title,
                "same_name_offices": self.ambiguous(code, words_of(region.name))}))
        return out

    def common_word(self):
        out = []
        for w, df in self.df_words[: self.k]:
            out.append(self.entry("common_word", w, {"word": w, "doc_fraction": round(df, 4)}))
        return out

    def typo_word(self, word, kind):
        for _ in range(20):
            new = apply_typo(self.rng, word, kind)
            if new and new.lower() != word.lower() and new.lower() not in self.vocabulary \
                    and classify_edit(word, new) == kind:
                return new
        return None

    def title_typos(self):
        rng = self.rng
        kinds = (TYPO_KINDS * (2 * self.k // 4 + 1))[: 2 * self.k]
        rng.shuffle(kinds)
        out, seen = [], set()
        cands = [p for p in self.public if p[1] != HOME_OFFICE and self.title_count[p[2]] == 1]
        for _ in range(self.k * 1000):
            if len(out) == self.k:
                break
            pid, code, title, *_ = rng.choice(cands)
            tokens = title.split(" ")
            eligible = [i for i, tok in enumerate(tokens) if len(tok) >= 4 and tok.isalpha()]
            if len(eligible) < 2:
                continue
            idx = sorted(rng.sample(eligible, 2))
            want = kinds[2 * len(out): 2 * len(out) + 2]
            edits, new_tokens = [], list(tokens)
            for i, kind in zip(idx, want):
                new = self.typo_word(tokens[i], kind)
                if new is None:
                    break
                new_tokens[i] = new
                edits.append({"word_index": i, "original": tokens[i], "typo": new, "kind": kind})
            if len(edits) != 2:
                continue
            q = " ".join(new_tokens)
            if q in seen or q in self.title_count:
                continue
            seen.add(q)
            out.append(self.entry("title_typos", q, {"id": pid, "title": title, "office_code": code,
                                                     "edits": edits}))
        return out

    def fragment_typo(self):
        rng, g = self.rng, self.g
        kinds = (TYPO_KINDS * (self.k // 4 + 1))[: self.k]
        rng.shuffle(kinds)
        out, seen = [], set()
        for _ in range(self.k * 2000):
            if len(out) == self.k:
                break
            pid, code, title, ti, *_ = rng.choice(self.public)
            t = TEMPLATES[ti]
            region = g.by_code[code]
            tw = [w for w in t.frag if w in words_of(title) and len(w) >= 4]
            rw = [w for w in words_of(region.name) if len(w) >= 4 and w.isalpha()
                  and self.word_offices[w] == {code}]
            if not t.region_in_title or not tw or not rw:
                continue
            topic, rword = rng.choice(tw), rng.choice(rw)
            kind = kinds[len(out)]
            which = "topic" if len(out) % 2 == 0 else "region"
            original = topic if which == "topic" else rword
            new = self.typo_word(original, kind)
            if new is None:
                continue
            q = f"{new} {rword}" if which == "topic" else f"{topic} {new}"
            if q in seen:
                continue
            seen.add(q)
            out.append(self.entry("fragment_typo", q, {
                "office_code": code, "corrected": f"{topic} {rword}", "example_id": pid,
                "typo": {"word": which, "original": original, "typo": new, "kind": kind}}))
        return out

    def office_year(self):
        rng = self.rng
        by_office = collections.defaultdict(list)
        for p in self.public:
            by_office[p[1]].append((p[4], p[5]))
        out, seen = [], set()
        cands = [p for p in self.public if p[1] != HOME_OFFICE]
        for _ in range(self.k * 1000):
            if len(out) == self.k:
                break
            pid, code, title, ti, yf, yt, *_ = rng.choice(cands)
            y = rng.randint(yf, yt)
            if (code, y) in seen:
                continue
            seen.add((code, y))
            matching = sum(1 for a, b in by_office[code] if a <= y <= b)
            out.append(self.entry("office_year", None, {"office_code": code, "year": y,
                                                        "matching_public": matching}, office=code, year=y))
        return out

    def odd_input(self):
        """Input no one should type, in ODD_KINDS turn by turn, each query drawn anew: pages of
        words (over 10,000 characters), punctuation only, stop words only, mixed scripts, one
        letter or digit, LIKE wildcards, quotes and operators. A normal answer is expected."""
        rng = self.rng
        words = [w for w, _ in self.df_words[:3000]]
        regions = [r.name.lower() for r in self.g.regions]
        punct = "!?.,;:-_()[]{}<>/\\|@#$^&*+=~`'\"…–—«»¿¡"
        scripts = ["кемискинан", "статистика", "πληθυσμός", "統計", "人口", "إحصاء", "สถิติ", "통계",
                   "ꦱꦼꦫꦠ꧀", "🙂", "📊", "ṡtatiṡtik", "ınflasi", "ＳＴＡＴＩＳＴＩＫ", "ß", "æøå"]
        stop = sorted(STOPWORDS)
        out, seen = [], set()
        for i in range(self.k * 1000):
            if len(out) == self.k:
                break
            kind = ODD_KINDS[len(out) % len(ODD_KINDS)]
            if kind == "long":
                parts, size = [], 0
                while size < 10_000 + rng.randint(0, 2_000):
                    w = rng.choice(words) if rng.random() < 0.8 else rng.choice(regions)
                    parts.append(w)
                    size += len(w) + 1
                q = " ".join(parts)
            elif kind == "punctuation":
                q = "".join(rng.choice(punct) for _ in range(rng.randint(1, 40)))
                if rng.random() < 0.3:
                    q = " ".join([q, "".join(rng.choice(punct) for _ in range(rng.randint(1, 10)))])
            elif kind == "stop_words":
                q = " ".join(rng.choice(stop) for _ in range(rng.randint(1, 8)))
            elif kind == "mixed_scripts":
                parts = [rng.choice(scripts) for _ in range(rng.randint(1, 3))]
                parts += [rng.choice(words) for _ in range(rng.randint(0, 2))]
                rng.shuffle(parts)
                q = " ".join(parts)
            elif kind == "one_letter":
                q = rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                if rng.random() < 0.5:
                    q = rng.choice(["", " ", "  "]) + q + rng.choice(["", " ", "."])
            elif kind == "like_wildcards":
                w = rng.choice(words)
                q = rng.choice(["%", "_", "%%", "__", f"%{w}%", f"{w}%", f"_{w}", f"{w[:2]}_%{w[3:]}",
                                f"100%", f"{w} %", f"% {w} _", f"{w}\\%"])
            else:  # operators
                a, b, c = rng.choice(words), rng.choice(words), rng.choice(regions)
                q = rng.choice([f'"{a} {b}" -{c.split()[0]}', f"{a} OR {b} OR -{c.split()[0]}",
                                f"- OR -", f'"{a}', f'{a}"{b}"', f"-{a} -{b}", f"OR {a} OR",
                                f'"" {a} ""', f"{a} -", f"({a} OR {b}) AND {c}", f"{a} & {b} | !{c}",
                                f"{a}:* <-> {b}", f'"{c}" OR "{a} {b}"', f"--{a} ---{b}"])
            if q in seen or not q.strip():
                continue
            seen.add(q)
            out.append(self.entry("odd_input", q, {"kind": kind, "chars": len(q)}))
        return out


# ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200_000, help="publications (default 200000)")
    ap.add_argument("--seed", type=int, default=1674)
    ap.add_argument("--queries", type=int, default=100, help="distinct queries per class (default 100)")
    ap.add_argument("--import-rows", type=int, default=10_000, help="rows of the concurrent import")
    ap.add_argument("--chunk-bytes", type=int, default=CHUNK_BYTES, help="largest import request body")
    ap.add_argument("--out", required=True, help="output directory (created)")
    a = ap.parse_args()
    if a.n < 1000:
        sys.exit("--n must be at least 1000 (queries need a catalogue to draw from)")
    os.makedirs(a.out, exist_ok=True)
    gen = Generator(a.seed)
    if len(gen.regions) != 514 or len(gen.by_code) != 514:
        sys.exit(f"BUG: {len(gen.regions)} regions / {len(gen.by_code)} codes, expected 514")

    titles = collections.Counter()
    vocabulary = set()
    df = collections.Counter()
    sample_every = max(1, a.n // 20000)
    sampled = 0
    stats = collections.Counter()
    with open(os.path.join(a.out, "publications.copy"), "w", encoding="utf-8", newline="") as f:
        for i, p in enumerate(gen.publications(a.n)):
            f.write(copy_line(p))
            titles[p["title"]] += 1
            # The vocabulary table's words (trigger: title, subtitle, keywords_text; >= 3 chars).
            vocabulary.update(w for w in re.split(r"[^0-9a-zà-ÿ]+", (p["title"] + " " + p["subtitle"] + " "
                                                                    + " ".join(p["keywords"])).lower())
                              if len(w) >= 3)
            stats["lang:" + p["language"]] += 1
            stats["access:" + p["access_level"]] += 1
            stats["printed"] += p["has_printed"]
            stats["words"] += len(p["abstract"].split())
            if i % sample_every == 0:
                sampled += 1
                text = " ".join([p["title"], p["subtitle"], " ".join(p["keywords"]), p["abstract"]]).lower()
                # As Postgres' parser: "desa/kelurahan" is one (file path) token, no word.
                df.update({w for w in re.findall(r"[a-z]+", re.sub(r"\S*/\S*", " ", text))})
    # Sorted by frequency, then by word: a set's order would vary from run to run.
    df_words = [(w, c / sampled) for w, c in sorted(df.items(), key=lambda x: (-x[1], x[0]))
                if len(w) >= 3 and w not in STOPWORDS]

    qm = QueryMaker(gen, a.queries, titles, vocabulary, df_words)
    queries = {"topic_region": qm.topic_region(), "common_word": qm.common_word(),
               "title_typos": qm.title_typos(), "fragment_typo": qm.fragment_typo(),
               "office_year": qm.office_year(), "odd_input": qm.odd_input()}
    for cls in CLASSES:
        if len(queries[cls]) != a.queries:
            sys.exit(f"{cls}: only {len(queries[cls])} distinct queries could be drawn (n too small?)")
    allq = [q for cls in CLASSES for q in queries[cls]]
    with open(os.path.join(a.out, "queries.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": a.seed, "publications": a.n, "per_class": a.queries, "classes": CLASSES,
                   "queries": allq}, f, ensure_ascii=False, indent=1)
    for cls in CLASSES:
        with open(os.path.join(a.out, f"paths_{cls}.txt"), "w", encoding="utf-8") as f:
            f.writelines(q["path"] + "\n" for q in queries[cls])
    with open(os.path.join(a.out, "naive.sql"), "w", encoding="utf-8") as f:
        f.write("\\timing on\n")
        for cls in CLASSES:
            for i, q in enumerate(queries[cls]):
                f.write(f"\\echo @@ {cls} {i}\n{q['naive_sql']}\n")

    rows = gen.import_rows(a.import_rows)
    write_import(a.out, rows, a.chunk_bytes)

    problems = check(a.out, a.queries, titles, rows, a.chunk_bytes)
    print(f"wrote {a.n} publications ({len(titles)} distinct titles), "
          f"{len(allq)} queries, {len(rows)} import rows into {a.out}")
    langs = ", ".join(f"{k[5:]} {100 * v / a.n:.1f} %" for k, v in sorted(stats.items()) if k.startswith("lang:"))
    acc = ", ".join(f"{k[7:]} {100 * v / a.n:.1f} %" for k, v in sorted(stats.items()) if k.startswith("access:"))
    print(f"  languages: {langs}; access: {acc}; printed {100 * stats['printed'] / a.n:.1f} %; "
          f"abstract words {stats['words'] / a.n:.1f} on average; vocabulary {len(vocabulary)} words")
    if problems:
        for p in problems:
            print("CHECK FAILED:", p, file=sys.stderr)
        sys.exit(1)


def write_import(out, rows, chunk_bytes):
    def render(rs):
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=IMPORT_COLUMNS, lineterminator="\r\n")
        w.writeheader()
        w.writerows(rs)
        return buf.getvalue()

    with open(os.path.join(out, "import.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(render(rows))
    for old in os.listdir(out):
        if re.fullmatch(r"import_\d+\.csv", old):
            os.remove(os.path.join(out, old))
    header = len(render([]).encode())
    chunks, cur, size = [], [], header
    for r in rows:
        n = len(render([r]).encode()) - header
        if cur and (size + n > chunk_bytes or len(cur) >= MAX_ROWS):
            chunks.append(cur)
            cur, size = [], header
        cur.append(r)
        size += n
    if cur:
        chunks.append(cur)
    for i, c in enumerate(chunks, 1):
        with open(os.path.join(out, f"import_{i:02d}.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(render(c))


def check(out, k, titles, rows, chunk_bytes):
    """Self-checks of the written files; returns the problems found."""
    problems = []
    with open(os.path.join(out, "queries.json"), encoding="utf-8") as f:
        data = json.load(f)
    by = collections.defaultdict(list)
    for q in data["queries"]:
        by[q["class"]].append(q)
    for cls in CLASSES:
        qs = by[cls]
        if len(qs) != k or len({q["params"] for q in qs}) != k:
            problems.append(f"{cls}: {len(qs)} queries, {len({q['params'] for q in qs})} distinct")
        for q in qs:
            if not q["params"].endswith("limit=10"):
                problems.append(f"{cls}: params without limit=10: {q['params']}")
    kinds = collections.Counter()
    for q in by["title_typos"]:
        e = q["expect"]
        orig, typo = e["title"].split(" "), q["q"].split(" ")
        diff = [i for i in range(len(orig)) if orig[i] != typo[i]] if len(orig) == len(typo) else None
        if diff != [x["word_index"] for x in e["edits"]]:
            problems.append(f"title_typos: words changed {diff} != recorded edits: {q['q']!r}")
            continue
        if len({x["word_index"] for x in e["edits"]}) != 2:
            problems.append(f"title_typos: not two different words: {q['q']!r}")
        for x in e["edits"]:
            kinds[x["kind"]] += 1
            if len(x["original"]) < 4 or classify_edit(x["original"], x["typo"]) != x["kind"]:
                problems.append(f"title_typos: {x} is not one {x['kind']}")
        if titles.get(e["title"]) != 1:
            problems.append(f"title_typos: target title not unique: {e['title']!r}")
    if set(kinds) != set(TYPO_KINDS):
        problems.append(f"title_typos: typo kinds {dict(kinds)}")
    fkinds = collections.Counter()
    for q in by["fragment_typo"]:
        t = q["expect"]["typo"]
        fkinds[t["kind"]] += 1
        words = q["q"].split(" ")
        good = q["expect"]["corrected"].split(" ")
        diff = [i for i in range(2) if words[i] != good[i]] if len(words) == 2 else None
        if diff is None or len(diff) != 1 or classify_edit(good[diff[0]], words[diff[0]]) != t["kind"]:
            problems.append(f"fragment_typo: {q['q']!r} vs {q['expect']['corrected']!r} is not one {t['kind']}")
    if set(fkinds) != set(TYPO_KINDS):
        problems.append(f"fragment_typo: typo kinds {dict(fkinds)}")
    # The import: every chunk within the limits, rows valid by the import's rules.
    seen = set()
    total = 0
    for name in sorted(os.listdir(out)):
        if not re.fullmatch(r"import_\d+\.csv", name):
            continue
        path = os.path.join(out, name)
        if os.path.getsize(path) > chunk_bytes or os.path.getsize(path) > IMPORT_LIMIT:
            problems.append(f"{name}: {os.path.getsize(path)} bytes")
        with open(path, encoding="utf-8", newline="") as f:
            rd = list(csv.DictReader(f))
        if len(rd) > MAX_ROWS:
            problems.append(f"{name}: {len(rd)} rows > {MAX_ROWS}")
        total += len(rd)
        for r in rd:
            if r["office_code"] != HOME_OFFICE or r["subject"] not in SUBJECT_GROUP \
                    or r["language"] not in ("id", "en", "id-en") or not 3 <= len(r["title"]) <= 300 \
                    or r["access_level"] not in ("public", "registered", "staff") \
                    or not 1900 <= int(r["year_to"]) <= 2026 or len(r["abstract"]) > 10_000 \
                    or not all(2 <= len(x) <= 60 for x in r["keywords"].split(";")):
                problems.append(f"{name}: invalid row {r['title']!r}")
            if r["title"] in seen:
                problems.append(f"{name}: repeated title {r['title']!r}")
            seen.add(r["title"])
    if total != len(rows):
        problems.append(f"import chunks hold {total} rows, expected {len(rows)}")
    return problems


if __name__ == "__main__":
    main()
