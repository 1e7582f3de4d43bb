echo "FAIL  one part"; echo "@score 3 4"; exit 1
