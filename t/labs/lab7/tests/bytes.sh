printf "q\" b\\ c\001 d\377 e\000 f\t\n"; exit 1
