# plot.gp - the bench charts (docs/bench.md), drawn by tests/bench/run.sh:
#   gnuplot -e "dir='build/bench'; chart='ratio'" tests/bench/plot.gp
# chart: ratio     xen-like / Xen 4.17 per op (results.csv)       -> bench.svg
#        pin       pin+unpin cost against tree size (pin.csv)      -> scaling-pin.svg
#        mmu       mmu_update per entry against dom0_mem (scaling-mem.csv) -> scaling-mmu.svg
#        boot      boot_to_first_output against dom0_mem (scaling-mem.csv) -> scaling-boot.svg
# The CSVs have one header line; columns are named in run.sh.
set datafile separator ','
set terminal svg size 900,480 font 'sans,11' background rgb 'white'
set key top left
set grid ytics

if (chart eq 'ratio') {
    set output dir.'/bench.svg'
    set title 'xen-like vs Xen 4.17: instructions per op (QEMU -icount shift=0)'
    set style data histograms
    set style fill solid 0.7 border -1
    set boxwidth 0.8
    set xtics rotate by -40 left font 'sans,9' nomirror
    set bmargin 10
    set ylabel 'xen-like / Xen 4.17'
    set yrange [0:1.2]
    set arrow from graph 0, first 0.7 to graph 1, first 0.7 nohead dt 2 lc rgb 'red'
    set arrow from graph 0, first 1.0 to graph 1, first 1.0 nohead dt 2 lc rgb 'black'
    set label 'target 0.7 (batch, pins)' at graph 0.01, first 0.73 tc rgb 'red' font 'sans,9'
    set label 'target 1.0' at graph 0.01, first 1.03 font 'sans,9'
    plot dir.'/results.csv' every ::1 using 5:xtic(1) lc rgb '#4a7ab5' notitle
}
if (chart eq 'pin') {
    set output dir.'/scaling-pin.svg'
    set title 'PIN\_L4\_TABLE + UNPIN\_TABLE of a fresh tree (should be linear)'
    set xlabel 'memory the tree maps (MiB)'
    set ylabel 'instructions (millions)'
    plot dir.'/pin.csv' every ::1 using 1:($2/1e6) with linespoints pt 7 title 'xen-like', \
         ''             every ::1 using 1:($3/1e6) with linespoints pt 5 title 'Xen 4.17'
}
if (chart eq 'mmu') {
    set output dir.'/scaling-mmu.svg'
    set title 'mmu\_update cost per entry against guest memory (should be flat)'
    set xlabel 'dom0\_mem (MiB; machine = dom0\_mem + 512 MiB)'
    set ylabel 'instructions per entry'
    set xrange [0:2112]
    set xtics (64, 256, 512, 1024, 1536, 2048)
    set yrange [0:*]
    set key bottom right
    f = dir.'/scaling-mem.csv'
    plot f every ::1 using 1:12 with linespoints pt 5 lc rgb '#c0504d' title 'Xen 4.17, batch of 512', \
         f every ::1 using 1:8  with linespoints pt 4 lc rgb '#e8a3a1' title 'Xen 4.17, batch of 8', \
         f every ::1 using 1:11 with linespoints pt 7 lc rgb '#4a7ab5' title 'xen-like, batch of 512', \
         f every ::1 using 1:7  with linespoints pt 6 lc rgb '#9dbbe0' title 'xen-like, batch of 8'
}
if (chart eq 'boot') {
    set output dir.'/scaling-boot.svg'
    set title 'boot\_to\_first\_output against guest memory (QEMU start to the guest''s first instruction)'
    set xlabel 'dom0\_mem (MiB; machine = dom0\_mem + 512 MiB)'
    set ylabel 'instructions (millions)'
    set key top left
    set xrange [0:2112]
    set xtics (64, 256, 512, 1024, 1536, 2048)
    set yrange [0:*]
    f = dir.'/scaling-mem.csv'
    plot f every ::1 using 1:($4/1e6) with linespoints pt 5 lc rgb '#c0504d' title 'Xen 4.17 (1000 M of it: the wait for the CMOS clock)', \
         f every ::1 using 1:($3/1e6) with linespoints pt 7 lc rgb '#4a7ab5' title 'xen-like'
}
