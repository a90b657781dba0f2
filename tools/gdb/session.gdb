# session.gdb - the short session shown in docs/debugging.md:
#   make debug GDB_BATCH=tools/gdb/session.gdb
# Stop in the first mmu_update hypercall, look at the request, and decode
# the page_info of the table it writes into and of the frame it maps.
hbreak do_mmu_update
continue
bt 3
print/x *(struct mmu_update *)ureqs
set $req = (struct mmu_update *)ureqs
set $table = $req->ptr >> 12
set $target = ($req->val & 0x000ffffffffff000) >> 12
page_info $table
type_info $table
type_info $target
