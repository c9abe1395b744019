/**
 * @file Core.h
 * @author bab2min (bab2min@gmail.com)
 * @brief 
 * @version 0.6.0
 * @date 2026-01-31
 *
 * @copyright Copyright (c) 2020-2026
 * 
 */


#ifndef EIGENRAND_CORE_H
#define EIGENRAND_CORE_H

#include "RandUtils.h"

#include "CwiseHeteroBinaryOp.h"

#include "Dists/Basic.h"
#include "Dists/Discrete.h"
#include "Dists/NormalExp.h"
#include "Dists/GammaPoisson.h"
#include "Dists/Truncated.h"

#include "MvDists/MvNormal.h"
#include "MvDists/Multinomial.h"
#include "MvDists/TruncMvNormal.h"

namespace Eigen
{
	/**
	 * @brief namespace for EigenRand
	 * 
	 */
	namespace Rand
	{

	}
}

#endif