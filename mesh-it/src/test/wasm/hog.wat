;; Grows its memory 16 pages (1 MiB) at a time for ever; when a grow is refused (-1) it traps, as a program whose
;; allocator fails does.
(module
  (memory 1)
  (func (export "hog")
    (loop $more
      (if (i32.eq (memory.grow (i32.const 16)) (i32.const -1))
        (then unreachable))
      (br $more))))
