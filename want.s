before
# LAB7 BEGIN: write this
	stub line
# a comment
# LAB7 END
# LAB8 BEGIN: another lab's, kept
kept
# LAB8 END
after
