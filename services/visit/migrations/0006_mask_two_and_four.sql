-- Masked identity numbers show no more than the first two and last four characters (they
-- showed the first four): re-mask the stored copies from the old mask itself.
UPDATE custody SET id_number_masked = left(id_number_masked, 2) || repeat('*', length(id_number_masked) - 6) || right(id_number_masked, 4)
WHERE length(id_number_masked) > 8;
