#!/usr/bin/env bash
# Catalogue search benchmark: 200,000 generated BPS-style publications (514 offices, years
# 2005-2025, titles sharing "Kabupaten", "Statistik", "Dalam Angka"...), searched through the
# gateway at 8 connections for four query classes, beside the naive SQL run directly in the
# same run. Prints p50/p95/p99 and throughput; asserts nothing.
#   bash bench/catalogue.sh [publications] [seconds]   (defaults 200000, 10)
n="${1:-200000}"
secs="${2:-10}"
source "$(dirname "$0")/lib.sh"
start_all
db="pst_${id}_catalogue"
t0=$(date +%s.%N)
psql -q -h 127.0.0.1 -U postgres -d "$db" <<SQL
INSERT INTO publications (id, office_code, title, subject, subject_group, language, year_from, year_to, abstract, keywords, keywords_text, access_level, has_printed)
SELECT gen_random_uuid(),
       lpad((1101 + (g % 514))::text, 4, '0'),
       (ARRAY['Kabupaten','Kota'])[1 + g % 2] || ' ' ||
         (ARRAY['Banyuasin','Muara Enim','Lahat','Musi Rawas','Ogan Ilir','Empat Lawang','Pagar Alam','Prabumulih','Bengkulu Utara','Rejang Lebong','Kepahiang','Lebong','Kaur','Seluma','Mukomuko','Jambi Timur','Tebo','Bungo','Merangin','Sarolangun','Kerinci','Batanghari','Tanjung Jabung','Lampung Barat','Tanggamus','Pesawaran','Pringsewu','Mesuji','Tulang Bawang','Way Kanan','Metro','Bandar Lampung','Pesisir Barat','Lampung Timur','Lampung Tengah','Lampung Utara','Lampung Selatan','Natuna','Lingga','Bintan','Karimun','Anambas','Batam','Tanjungpinang','Bangka','Belitung','Pangkalpinang','Bangka Tengah','Bangka Barat','Bangka Selatan'])[1 + (g / 7) % 50] || ' ' ||
         (ARRAY['Dalam Angka','Statistik Daerah','Indeks Pembangunan Manusia','Produk Domestik Regional Bruto Menurut Lapangan Usaha','Statistik Kesejahteraan Rakyat','Statistik Harga Konsumen','Profil Kemiskinan','Keadaan Angkatan Kerja','Statistik Pertanian Tanaman Pangan','Statistik Pendidikan'])[1 + (g / 3) % 10] || ' ' ||
         (2005 + g % 21)::text,
       (ARRAY['kependudukan','inflasi','pendidikan','neraca_nasional','kemiskinan','tenaga_kerja','tanaman_pangan','perdagangan'])[1 + g % 8],
       (ARRAY['sosial','ekonomi','sosial','ekonomi','sosial','sosial','pertanian','ekonomi'])[1 + g % 8],
       'id', 2004 + g % 21, 2004 + g % 21,
       'Publikasi ini menyajikan data dan statistik ' || (ARRAY['kependudukan dan ketenagakerjaan','harga dan inflasi','pendidikan dan kesehatan','ekonomi regional','kemiskinan dan ketimpangan'])[1 + g % 5] || ' yang dikumpulkan BPS dari sensus dan survei.',
       ARRAY['statistik','data'], 'statistik data', 'public', g % 3 = 0
FROM generate_series(1, $n) g;
INSERT INTO publications (id, office_code, title, subject, subject_group, language, year_from, year_to, abstract, keywords, keywords_text, access_level)
SELECT gen_random_uuid(), '1674', 'Kota Lubuklinggau Dalam Angka ' || y, 'kependudukan', 'sosial', 'id', y - 1, y - 1, 'Gambaran umum Kota Lubuklinggau.', '{}', '', 'public'
FROM generate_series(2005, 2025) y;
VACUUM ANALYZE publications;
SQL
echo "loaded $n publications in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"

cat > "$work/pct.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  %.0f req/s\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
LUA
run() {
  echo "== $1 =="
  wrk -t2 -c8 -d"${secs}s" -s "$work/pct.lua" "$base/api/v1/publications?$2" | tail -1
  curl -s "$base/api/v1/publications?$2&limit=1" | grep -Eo '"title":"[^"]*"' | head -1 | sed 's/^/  first: /'
}
run "(a) specific words + facets: q=indeks pembangunan manusia banyuasin" "q=indeks%20pembangunan%20manusia%20banyuasin"
run "(b) one common word: q=statistik" "q=statistik"
run "(c) misspelt title: q=Kota Lubuklingau Dalm Angka 2024" "q=Kota%20Lubuklingau%20Dalm%20Angka%202024"
run "(d) office + year filter: office=1674&year_from=2020&year_to=2020" "office=1674&year_from=2020&year_to=2020"

echo
echo "== naive SQL in psql, same data, same run =="
naive() {
  printf '%s: ' "$1"
  psql -h 127.0.0.1 -U postgres -d "$db" -c '\timing on' -c "$2" | grep -Eo 'Time: [0-9.]+ ms'
}
naive "(a)" "SELECT id FROM publications WHERE search @@ websearch_to_tsquery('indonesian','indeks pembangunan manusia banyuasin') ORDER BY ts_rank(search, websearch_to_tsquery('indonesian','indeks pembangunan manusia banyuasin')) DESC LIMIT 20"
naive "(b)" "SELECT id FROM publications WHERE search @@ websearch_to_tsquery('indonesian','statistik') ORDER BY ts_rank(search, websearch_to_tsquery('indonesian','statistik')) DESC LIMIT 20"
naive "(c)" "SELECT id FROM publications WHERE lower(title) % lower('Kota Lubuklingau Dalm Angka 2024') ORDER BY similarity(lower(title), lower('Kota Lubuklingau Dalm Angka 2024')) DESC LIMIT 20"
naive "(d)" "SELECT id FROM publications WHERE office_code = '1674' AND year_to >= 2020 AND year_from <= 2020 ORDER BY year_to DESC, id LIMIT 20"
